using Federated.Engine.Parameters;

namespace Federated.Engine.Tests.Parameters;

public sealed class ParameterCodecTests
{
    // Hand-built: "FEDP", version 1 (u16 LE), count 2 (u32 LE), 1.0f = 0x3F800000, -2.5f = 0xC0200000 (LE).
    private const string TwoValues = "46454450" + "0100" + "02000000" + "0000803F" + "000020C0";

    [Fact]
    public void Encodes_a_tiny_vector_to_the_known_bytes()
    {
        Assert.Equal(TwoValues, Convert.ToHexString(ParameterCodec.Encode([1.0f, -2.5f])));
    }

    [Fact]
    public void Decodes_the_known_bytes()
    {
        Assert.Equal([1.0f, -2.5f], ParameterCodec.Decode(Convert.FromHexString(TwoValues)));
    }

    [Fact]
    public void An_empty_vector_is_just_the_header()
    {
        Assert.Equal("46454450" + "0100" + "00000000", Convert.ToHexString(ParameterCodec.Encode([])));
        Assert.Empty(ParameterCodec.Decode(Convert.FromHexString("46454450010000000000")));
    }

    [Fact]
    public void Round_trips_every_bit_pattern_including_nan_payloads()
    {
        float[] values = [0f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, float.NaN,
            BitConverter.Int32BitsToSingle(0x7FC0_1234), BitConverter.Int32BitsToSingle(unchecked((int)0xFF80_0001)), 3.25f];

        var decoded = ParameterCodec.Decode(ParameterCodec.Encode(values), expectedCount: values.Length);

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), decoded.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(4, FlatOps.IndexOfNonFinite(decoded)); // -infinity, before the NaNs
    }

    [Fact]
    public void Encodes_into_a_caller_buffer()
    {
        var buffer = new byte[30];

        int written = ParameterCodec.Encode([1.0f, -2.5f], buffer);

        Assert.Equal(18, written);
        Assert.Equal(TwoValues, Convert.ToHexString(buffer.AsSpan(0, written)));
        Assert.Throws<ArgumentException>(() => ParameterCodec.Encode([1.0f, -2.5f], new byte[17]));
    }

    [Fact]
    public void A_blob_shorter_than_the_header_is_truncated()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Convert.FromHexString("464544500100020000")));

        Assert.Equal(ParameterFormatError.Truncated, error.Error);
        Assert.Contains("9 bytes", error.Message);
    }

    [Fact]
    public void A_body_one_byte_short_is_a_length_mismatch()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Convert.FromHexString(TwoValues)[..^1]));

        Assert.Equal(ParameterFormatError.LengthMismatch, error.Error);
        Assert.Contains("declares 2 values (8 bytes) but 7 bytes follow", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_a_length_mismatch()
    {
        var blob = Convert.FromHexString(TwoValues + "00");

        Assert.Equal(ParameterFormatError.LengthMismatch, Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(blob)).Error);
    }

    [Theory]
    [InlineData("FFFFFFFF")] // 4294967295: above int.MaxValue
    [InlineData("FFFFFF7F")] // int.MaxValue: would be an 8 GiB allocation
    [InlineData("00000040")] // 2^30: 4 * count overflows 32 bits
    public void A_huge_declared_count_is_refused_before_allocating(string countHex)
    {
        var blob = Convert.FromHexString("46454450" + "0100" + countHex + "0000803F");

        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(blob));

        Assert.Equal(ParameterFormatError.LengthMismatch, error.Error);
        Assert.Contains("but 4 bytes follow", error.Message);
    }

    [Fact]
    public void Wrong_magic_is_named()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Convert.FromHexString("46454451" + TwoValues[8..])));

        Assert.Equal(ParameterFormatError.BadMagic, error.Error);
        Assert.Contains("46454451", error.Message);
    }

    [Fact]
    public void An_unknown_version_is_named()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Convert.FromHexString("46454450" + "0200" + TwoValues[12..])));

        Assert.Equal(ParameterFormatError.UnsupportedVersion, error.Error);
        Assert.Contains("version 2", error.Message);
    }

    [Fact]
    public void A_blob_for_another_model_size_is_refused_when_a_count_is_expected()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterCodec.Decode(Convert.FromHexString(TwoValues), expectedCount: 3));

        Assert.Equal(ParameterFormatError.UnexpectedCount, error.Error);
        Assert.Contains("holds 2 values; expected 3", error.Message);
    }

    [Fact]
    public void ReadCount_reads_the_header_only()
    {
        Assert.Equal(2, ParameterCodec.ReadCount(Convert.FromHexString(TwoValues)));
        Assert.Equal(18L, ParameterCodec.EncodedLength(2));
    }
}
