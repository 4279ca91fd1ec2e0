using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Federated.Engine.Checkpoints;

/// <summary>One tensor's header entry: dtype ("F32", "I32"), shape, and byte range within the data section.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>Raised for a malformed or mismatched checkpoint; the message names the tensor or field.</summary>
public sealed class CheckpointException(string message) : Exception(message);

/// <summary>
/// The safetensors format (huggingface/safetensors): u64 little-endian header length, a JSON header
/// mapping names to {dtype, shape, data_offsets} (plus optional "__metadata__" strings), then the raw
/// little-endian data. Reading checks every entry against the bytes actually present.
/// </summary>
public sealed class SafetensorsFile
{
    private const long MaxHeader = 100 << 20;
    private readonly byte[] _bytes;
    private readonly long _dataStart;

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(byte[] bytes, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        _bytes = bytes; _dataStart = dataStart; Entries = entries; Metadata = metadata;
    }

    public static SafetensorsFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static SafetensorsFile Parse(byte[] bytes, string source = "checkpoint")
    {
        if (bytes.Length < 8) throw new CheckpointException($"{source}: truncated, {bytes.Length} bytes is shorter than the 8-byte header length");
        // Compared as unsigned: a length of 2^63 or more must not turn negative and slip past the bounds check.
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (declared > MaxHeader || 8 + (long)declared > bytes.Length)
            throw new CheckpointException($"{source}: truncated or corrupt, header claims {declared} bytes but the file has {bytes.Length}");
        long headerLength = (long)declared;
        var entries = new Dictionary<string, SafetensorsEntry>();
        var metadata = new Dictionary<string, string>();
        long dataLength = bytes.Length - 8 - headerLength;
        // JsonDocument parses invalid UTF-8 inside strings lazily and throws on reading them; refuse it up front.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(8, (int)headerLength)))
            throw new CheckpointException($"{source}: header is not valid UTF-8");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw new CheckpointException($"{source}: header is not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{source}: header is not a JSON object");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{source}: __metadata__ must be an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new CheckpointException($"{source}: __metadata__ values must be strings, '{m.Name}' is {m.Value.ValueKind}");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                var e = ParseEntry(prop, source);
                if (e.End > dataLength)
                    throw new CheckpointException($"{source}: truncated, tensor '{e.Name}' needs data bytes [{e.Begin}, {e.End}) but only {dataLength} are present");
                entries[e.Name] = e;
            }
        }
        return new SafetensorsFile(bytes, 8 + headerLength, entries, metadata);
    }

    private static SafetensorsEntry ParseEntry(JsonProperty prop, string source)
    {
        string name = prop.Name;
        try
        {
            string dtype = prop.Value.GetProperty("dtype").GetString() ?? "";
            long[] shape = prop.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            long[] offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new CheckpointException($"{source}: tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}]");
            if (shape.Any(d => d < 0)) throw new CheckpointException($"{source}: tensor '{name}' has a negative dimension");
            var e = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            long expected;
            try
            {
                // Checked: a shape like [2^32, 2^32] must not wrap around to a byte count that matches the offsets.
                expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * DtypeSize(dtype, name, source));
            }
            catch (OverflowException)
            {
                throw new CheckpointException($"{source}: tensor '{name}' has a shape {e.ShapeText} too large to address");
            }
            if (offsets[1] - offsets[0] != expected)
                throw new CheckpointException($"{source}: tensor '{name}' {dtype} {e.ShapeText} needs {expected} bytes but data_offsets span {offsets[1] - offsets[0]}");
            return e;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"{source}: tensor '{name}' has a malformed header entry ({ex.Message})");
        }
    }

    private static int DtypeSize(string dtype, string name, string source) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new CheckpointException($"{source}: tensor '{name}' has unknown dtype '{dtype}'"),
    };

    public SafetensorsEntry this[string name] =>
        Entries.TryGetValue(name, out var e) ? e : throw new CheckpointException($"missing tensor '{name}'");

    public float[] ReadFloat32(string name) => ReadAs<float>(name, "F32");
    public int[] ReadInt32(string name) => ReadAs<int>(name, "I32");

    private T[] ReadAs<T>(string name, string dtype) where T : unmanaged
    {
        var e = this[name];
        if (e.Dtype != dtype) throw new CheckpointException($"tensor '{name}' has dtype {e.Dtype}, expected {dtype}");
        var raw = _bytes.AsSpan((int)(_dataStart + e.Begin), (int)(e.End - e.Begin));
        var result = MemoryMarshal.Cast<byte, T>(raw).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        return result;
    }

    /// <summary>Writes tensors in the given order, header padded with spaces to 8 bytes as the format recommends.</summary>
    public static void Write(string path, IEnumerable<(string Name, string Dtype, long[] Shape, byte[] Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        using var ms = new MemoryStream();
        using (var json = new Utf8JsonWriter(ms))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in list)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape"); foreach (var d in shape) json.WriteNumberValue(d); json.WriteEndArray();
                json.WriteStartArray("data_offsets"); json.WriteNumberValue(offset); json.WriteNumberValue(offset + data.Length); json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        var header = ms.ToArray().Concat(Enumerable.Repeat((byte)' ', (int)((8 - ms.Length % 8) % 8))).ToArray();
        string tmp = path + ".tmp";
        using (var f = File.Create(tmp))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            f.Write(len);
            f.Write(header);
            foreach (var t in list) f.Write(t.Data);
        }
        File.Move(tmp, path, overwrite: true);   // a crash never leaves a half-written checkpoint under the real name
    }
}
