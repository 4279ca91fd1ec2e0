using System.Collections;
using System.Numerics;

namespace Federated.Chain.Abi;

/// <summary>Conversions from the CLR values callers pass in to what the coders need.</summary>
internal static class AbiValues
{
    public static BigInteger? AsInteger(object? value) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte b8 => b8,
        sbyte sb => sb,
        _ => null,
    };

    public static IReadOnlyList<object?>? AsSequence(object? value) => value switch
    {
        null or string or byte[] => null,
        IReadOnlyList<object?> list => list,
        IEnumerable sequence => sequence.Cast<object?>().ToArray(),
        _ => null,
    };

    /// <summary>Writes a two's-complement big-endian 256-bit word.</summary>
    public static byte[] Word(BigInteger value)
    {
        var word = new byte[AbiReader.WordSize];
        if (value.Sign < 0)
            word.AsSpan().Fill(0xFF);
        var length = value.GetByteCount(isUnsigned: value.Sign >= 0);
        value.TryWriteBytes(word.AsSpan(AbiReader.WordSize - length), out _, isUnsigned: value.Sign >= 0, isBigEndian: true);
        return word;
    }

    public static byte[] PadRight(ReadOnlySpan<byte> bytes)
    {
        var padded = new byte[AbiReader.Words(bytes.Length) * AbiReader.WordSize];
        bytes.CopyTo(padded);
        return padded;
    }
}
