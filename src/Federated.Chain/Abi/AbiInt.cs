using System.Numerics;

namespace Federated.Chain.Abi;

/// <summary>intN (N = 8..256, a multiple of 8): two's complement, sign-extended to 32 bytes.</summary>
public sealed class AbiInt : AbiType
{
    public AbiInt(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
            throw new AbiException($"int{bits} is not a valid type: the size must be a multiple of 8 from 8 to 256.");
        Bits = bits;
        MaxValue = (BigInteger.One << (bits - 1)) - 1;
        MinValue = -(BigInteger.One << (bits - 1));
    }

    public int Bits { get; }

    public BigInteger MinValue { get; }

    public BigInteger MaxValue { get; }

    public override string CanonicalName => $"int{Bits}";

    public override bool IsDynamic => false;

    public override byte[] Encode(object? value)
    {
        var number = AbiValues.AsInteger(value) ?? throw WrongValue(value, "an integer (BigInteger, long, ...)");
        if (number < MinValue || number > MaxValue)
            throw new AbiException($"{CanonicalName} cannot hold {number}: the range is [-2^{Bits - 1}, 2^{Bits - 1}-1].");
        return AbiValues.Word(number);
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var number = new BigInteger(reader.Word(position, this), isUnsigned: false, isBigEndian: true);
        if (number < MinValue || number > MaxValue)
            throw new AbiException($"{CanonicalName} at offset {position} is not sign-extended: {number} is out of range.");
        return number;
    }
}
