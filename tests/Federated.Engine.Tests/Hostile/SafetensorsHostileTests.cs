using System.Buffers.Binary;
using System.Text;
using Federated.Engine.Checkpoints;
using Federated.Testing;

namespace Federated.Engine.Tests.Hostile;

/// <summary>The safetensors reader against hostile files: every refusal is a <see cref="CheckpointException"/> naming
/// the cause, and no declared length or shape is allocated on trust.</summary>
public sealed class SafetensorsHostileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fed-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private byte[] ValidFile()
    {
        var path = Path.Combine(_dir, "valid.safetensors");
        var a = new byte[4 * 6];
        var b = new byte[4 * 3];
        for (var i = 0; i < a.Length; i++) a[i] = (byte)i;
        SafetensorsFile.Write(path, [("a", "F32", [2, 3], a), ("b", "I32", [3], b)], new Dictionary<string, string> { ["format"] = "pt" });
        return File.ReadAllBytes(path);
    }

    private static byte[] WithHeader(string json, int dataBytes = 0)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static CheckpointException Refused(byte[] bytes) => Assert.Throws<CheckpointException>(() => ReadAll(bytes));

    private static void ReadAll(byte[] bytes)
    {
        var file = SafetensorsFile.Parse(bytes, "hostile");
        foreach (var e in file.Entries.Values)
        {
            if (e.Dtype == "F32") file.ReadFloat32(e.Name);
            else if (e.Dtype == "I32") file.ReadInt32(e.Name);
        }
    }

    [Theory]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    [InlineData((1UL << 63) + 8)]
    public void A_huge_declared_header_length_is_refused_without_allocating_it(ulong declared)
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);

        var allocated = HostileBytes.AllocatedBy(() => SafetensorsFile.Parse(bytes));

        Assert.StartsWith($"hostile: truncated or corrupt, header claims {declared} bytes", Refused(bytes).Message);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_is_refused()
    {
        var valid = ValidFile();
        ReadAll(valid);
        for (var length = 0; length < valid.Length; length++) Refused(valid[..length]);
    }

    [Fact]
    public void A_shape_whose_element_count_overflows_is_refused_rather_than_wrapping_to_a_match() =>
        Assert.Contains("tensor 'x' has a shape [4294967296, 4294967296] too large",
            Refused(WithHeader("""{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""")).Message);

    [Fact]
    public void Offsets_beyond_the_data_are_refused_naming_the_tensor() =>
        Assert.Contains("tensor 'x' needs data bytes [0, 4398046511104)",
            Refused(WithHeader("""{"x":{"dtype":"U8","shape":[4398046511104],"data_offsets":[0,4398046511104]}}""")).Message);

    [Theory]
    [InlineData("""{"__metadata__":{"format":7}}""", "__metadata__ values must be strings")]
    [InlineData("""{"__metadata__":[1]}""", "__metadata__ must be an object of strings")]
    [InlineData("""{"x":5}""", "tensor 'x' has a malformed header entry")]
    [InlineData("""{"x":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}""", "tensor 'x' has a malformed header entry")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999999999999999]}}""", "tensor 'x' has a malformed header entry")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "tensor 'x' has invalid data_offsets [8, 0]")]
    [InlineData("""{"x":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", "tensor 'x' has unknown dtype 'Q4'")]
    [InlineData("""[1,2,3]""", "header is not a JSON object")]
    [InlineData("""{"x":""", "header is not valid JSON")]
    public void A_wrong_typed_header_is_refused_with_the_cause(string header, string expected) =>
        Assert.Contains(expected, Refused(WithHeader(header, 8)).Message);

    [Fact]
    public void A_deeply_nested_header_is_refused() =>
        Assert.Contains("header is not valid JSON", Refused(WithHeader(new string('[', 10_000) + new string(']', 10_000))).Message);

    [Fact]
    public void Three_thousand_seeded_mutations_read_or_are_refused_with_a_checkpoint_error()
    {
        var valid = ValidFile();
        int read = 0, refused = 0;
        foreach (var bytes in HostileBytes.Mutations(valid, seed: 7, count: 3000))
        {
            try
            {
                ReadAll(bytes);
                read++;
            }
            catch (CheckpointException)
            {
                refused++;
            }
        }

        Assert.True(read > 0 && refused > 0, $"read {read}, refused {refused}");
    }
}
