namespace Federated.Chain.Abi;

/// <summary>bytesN (N = 1..32): N bytes, right-padded with zeros.</summary>
public sealed class AbiFixedBytes : AbiType
{
    public AbiFixedBytes(int size)
    {
        if (size is < 1 or > 32)
            throw new AbiException($"bytes{size} is not a valid type: the size must be from 1 to 32.");
        Size = size;
    }

    public int Size { get; }

    public override string CanonicalName => $"bytes{Size}";

    public override bool IsDynamic => false;

    public override byte[] Encode(object? value)
    {
        if (value is not byte[] bytes)
            throw WrongValue(value, $"a byte[] of length {Size}");
        if (bytes.Length != Size)
            throw new AbiException($"{CanonicalName} expects exactly {Size} bytes, got {bytes.Length}.");
        return AbiValues.PadRight(bytes);
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var word = reader.Word(position, this);
        if (word[Size..].ContainsAnyExcept((byte)0))
            throw new AbiException($"{CanonicalName} at offset {position} has dirty low bits after its {Size} bytes.");
        return word[..Size].ToArray();
    }
}
