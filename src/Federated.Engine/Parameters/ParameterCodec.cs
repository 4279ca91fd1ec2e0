using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Federated.Engine.Parameters;

/// <summary>
/// The binary form of a flat float32 vector (weights or an update) as it travels between coordinator and
/// workers. Layout, all little-endian:
/// <code>
/// offset 0  4 bytes  magic "FEDP"
/// offset 4  uint16   format version (1)
/// offset 6  uint32   element count N (at most int.MaxValue)
/// offset 10 N x float32 IEEE 754 bit patterns, stored as is (NaN payloads included)
/// </code>
/// Pure: no I/O. Decoding trusts nothing in the header: the declared count is checked against the bytes
/// actually present before anything is allocated.
/// </summary>
public static class ParameterCodec
{
    public const ushort Version = 1;
    public const int HeaderLength = 10;

    private static ReadOnlySpan<byte> Magic => "FEDP"u8;

    /// <summary>Bytes needed to encode <paramref name="count"/> values.</summary>
    public static long EncodedLength(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return HeaderLength + 4L * count;
    }

    public static byte[] Encode(ReadOnlySpan<float> values)
    {
        var blob = new byte[EncodedLength(values.Length)];
        Encode(values, blob);
        return blob;
    }

    /// <summary>Writes the blob into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<float> values, Span<byte> destination)
    {
        long length = EncodedLength(values.Length);
        if (destination.Length < length)
            throw new ArgumentException($"destination holds {destination.Length} bytes; encoding {values.Length} values needs {length}", nameof(destination));
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[6..], (uint)values.Length);
        var body = destination.Slice(HeaderLength, 4 * values.Length);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(body);
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(body[(4 * i)..], values[i]);
        }
        return (int)length;
    }

    /// <summary>
    /// Decodes a blob. With <paramref name="expectedCount"/>, a well-formed blob of another size is refused too
    /// (a worker must not accept weights for a different model).
    /// </summary>
    /// <exception cref="ParameterFormatException">The blob is malformed; <see cref="ParameterFormatException.Error"/> says how.</exception>
    public static float[] Decode(ReadOnlySpan<byte> blob, int? expectedCount = null)
    {
        int count = ReadCount(blob);
        if (expectedCount is { } expected && count != expected)
            throw new ParameterFormatException(ParameterFormatError.UnexpectedCount,
                $"parameter blob holds {count} values; expected {expected}");
        var values = new float[count];
        var body = blob.Slice(HeaderLength, 4 * count);
        if (BitConverter.IsLittleEndian)
        {
            body.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            for (var i = 0; i < count; i++)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(4 * i)..]);
        }
        return values;
    }

    /// <summary>Validates the header against the blob's length and returns the element count.</summary>
    public static int ReadCount(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderLength)
            throw new ParameterFormatException(ParameterFormatError.Truncated,
                $"parameter blob is {blob.Length} bytes, shorter than the {HeaderLength}-byte header");
        if (!blob[..4].SequenceEqual(Magic))
            throw new ParameterFormatException(ParameterFormatError.BadMagic,
                $"parameter blob starts with {Convert.ToHexString(blob[..4])}, not the magic \"FEDP\" (46454450)");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(blob[4..]);
        if (version != Version)
            throw new ParameterFormatException(ParameterFormatError.UnsupportedVersion,
                $"parameter blob has format version {version}; this build reads version {Version}");
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(blob[6..]);
        long bodyBytes = blob.Length - HeaderLength;
        // Compared in 64-bit arithmetic, so a huge declared count cannot overflow into a match.
        if (declared > int.MaxValue || 4L * declared != bodyBytes)
            throw new ParameterFormatException(ParameterFormatError.LengthMismatch,
                $"parameter blob header declares {declared} values ({4L * declared} bytes) but {bodyBytes} bytes follow the header");
        return (int)declared;
    }
}
