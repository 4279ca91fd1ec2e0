using System.Buffers.Binary;
using Federated.Engine.Parameters;
using Federated.Testing;

namespace Federated.Engine.Tests.Hostile;

/// <summary>The "FEDP" parameter decoder against bytes an attacker chose: every refusal is a
/// <see cref="ParameterFormatException"/> saying what is wrong, and a declared size is never allocated on trust.</summary>
public sealed class ParameterCodecHostileTests
{
    private static readonly byte[] Valid = ParameterCodec.Encode(Enumerable.Range(0, 64).Select(i => i * 0.25f - 3f).ToArray());

    private static byte[] Declaring(uint count, int bodyBytes)
    {
        var blob = new byte[ParameterCodec.HeaderLength + bodyBytes];
        "FEDP"u8.CopyTo(blob);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(4), ParameterCodec.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(6), count);
        return blob;
    }

    [Fact]
    public void Every_truncated_header_is_refused_as_truncated()
    {
        for (var length = 0; length < ParameterCodec.HeaderLength; length++)
        {
            var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Valid.AsSpan(0, length)));
            Assert.Equal(ParameterFormatError.Truncated, error.Error);
        }
    }

    [Fact]
    public void A_body_cut_short_is_refused_naming_both_sizes()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Valid.AsSpan(0, Valid.Length - 3)));

        Assert.Equal("parameter blob header declares 64 values (256 bytes) but 253 bytes follow the header", error.Message);
    }

    [Fact]
    public void An_oversized_body_is_refused()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode([.. Valid, 0, 0, 0, 0]));

        Assert.Equal(ParameterFormatError.LengthMismatch, error.Error);
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(0x8000_0000u)]
    [InlineData(0x4000_0000u)]
    public void A_huge_declared_count_is_refused_without_allocating_it(uint declared)
    {
        var blob = Declaring(declared, 16);

        var allocated = HostileBytes.AllocatedBy(() => ParameterCodec.Decode(blob));

        Assert.Equal(ParameterFormatError.LengthMismatch, Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(blob)).Error);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes refusing a blob of {blob.Length}");
    }

    [Fact]
    public void A_blob_that_is_well_formed_but_for_another_model_is_refused_before_its_values_are_copied()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Valid, expectedCount: 65));

        Assert.Equal((ParameterFormatError.UnexpectedCount, "parameter blob holds 64 values; expected 65"), (error.Error, error.Message));
    }

    [Fact]
    public void Five_thousand_seeded_mutations_decode_or_are_refused_with_a_format_error()
    {
        var outcomes = new Dictionary<string, int>();
        foreach (var blob in HostileBytes.Mutations(Valid, seed: 6, count: 5000))
        {
            string outcome;
            try
            {
                var values = ParameterCodec.Decode(blob);
                Assert.Equal(ParameterCodec.EncodedLength(values.Length), blob.Length);
                outcome = "decoded";
            }
            catch (ParameterFormatException e)
            {
                outcome = e.Error.ToString();
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Both kinds happen, so the loop exercises the decoder's acceptance and every refusal.
        Assert.True(outcomes.GetValueOrDefault("decoded") > 0 && outcomes.Count >= 4, string.Join(", ", outcomes));
    }
}
