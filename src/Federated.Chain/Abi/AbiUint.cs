using System.Numerics;

namespace Federated.Chain.Abi;

/// <summary>uintN (N = 8..256, a multiple of 8): big-endian, left-padded with zeros.</summary>
public sealed class AbiUint : AbiType
{
    public AbiUint(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
            throw new AbiException($"uint{bits} is not a valid type: the size must be a multiple of 8 from 8 to 256.");
        Bits = bits;
        MaxValue = (BigInteger.One << bits) - 1;
    }

    public int Bits { get; }

    public BigInteger MaxValue { get; }

    public override string CanonicalName => $"uint{Bits}";

    public override bool IsDynamic => false;

    public override byte[] Encode(object? value)
    {
        var number = AbiValues.AsInteger(value) ?? throw WrongValue(value, "an integer (BigInteger, long, ulong, ...)");
        if (number.Sign < 0)
            throw new AbiException($"{CanonicalName} cannot hold the negative value {number}.");
        if (number > MaxValue)
            throw new AbiException($"{CanonicalName} cannot hold {number}: the maximum is 2^{Bits}-1.");
        return AbiValues.Word(number);
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var number = reader.UnsignedWord(position, this);
        if (number > MaxValue)
            throw new AbiException($"{CanonicalName} at offset {position} has dirty high bits: {number} exceeds 2^{Bits}-1.");
        return number;
    }
}
