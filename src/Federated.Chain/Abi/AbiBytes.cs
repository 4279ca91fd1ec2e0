namespace Federated.Chain.Abi;

/// <summary>bytes: a length word, then the bytes right-padded to whole words.</summary>
public sealed class AbiBytes : AbiType
{
    public static AbiBytes Instance { get; } = new();

    public override string CanonicalName => "bytes";

    public override bool IsDynamic => true;

    public override byte[] Encode(object? value)
    {
        if (value is not byte[] bytes)
            throw WrongValue(value, "a byte[]");
        return EncodeRaw(bytes);
    }

    internal override object Decode(ref AbiReader reader, int position) => DecodeRaw(ref reader, position, this).ToArray();

    internal static byte[] EncodeRaw(ReadOnlySpan<byte> bytes) => [.. AbiValues.Word(bytes.Length), .. AbiValues.PadRight(bytes)];

    internal static ReadOnlySpan<byte> DecodeRaw(ref AbiReader reader, int position, AbiType type)
    {
        var length = reader.Length(position, 1, type);
        return reader.PaddedBytes(position + WordSize, length, type);
    }
}
