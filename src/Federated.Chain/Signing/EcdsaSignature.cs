using System.Numerics;
using Federated.Chain.Codecs;

namespace Federated.Chain.Signing;

/// <summary>A secp256k1 signature with the y-parity of the nonce point (0 or 1), which lets the
/// signer's public key be recovered. Ranges are checked where the signature is used, not here,
/// so that bad signatures can be represented and rejected with a clear error.</summary>
public sealed record EcdsaSignature(BigInteger R, BigInteger S, int YParity)
{
    /// <summary>The pre-EIP-155 "v" value (27 or 28) used by personal_sign and eth_sign.</summary>
    public int V => 27 + YParity;

    /// <summary>r || s || v as 65 bytes, v being 27 or 28 (the form cast and wallets print).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[65];
        WriteScalar(R, bytes.AsSpan(0, 32));
        WriteScalar(S, bytes.AsSpan(32, 32));
        bytes[64] = (byte)V;
        return bytes;
    }

    public string ToHex() => Hex.Encode(ToBytes());

    /// <summary>Reads r || s || v where v is 0, 1, 27 or 28.</summary>
    public static EcdsaSignature FromBytes(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65)
            throw new SignatureException($"A signature is 65 bytes (r, s, v), got {signature.Length}.");
        var r = new BigInteger(signature[..32], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature[32..64], isUnsigned: true, isBigEndian: true);
        return new EcdsaSignature(r, s, YParityFromV(signature[64]));
    }

    /// <summary>Maps v (0/1, 27/28, or EIP-155 chainId*2+35/36) to the y-parity.</summary>
    public static int YParityFromV(BigInteger v, BigInteger? chainId = null)
    {
        if (v == 0 || v == 1)
            return (int)v;
        if (v == 27 || v == 28)
            return (int)(v - 27);
        if (chainId is { } id && (v == id * 2 + 35 || v == id * 2 + 36))
            return (int)(v - id * 2 - 35);
        var expected = chainId is { } c ? $"0, 1, 27, 28, {c * 2 + 35} or {c * 2 + 36}" : "0, 1, 27 or 28";
        throw new SignatureException($"Invalid recovery id v={v}: expected {expected}.");
    }

    internal static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > destination.Length)
            throw new SignatureException($"Signature scalar {value} does not fit in {destination.Length} bytes.");
        destination.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(destination.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}
