using System.Numerics;
using Nethereum.Signer;
using Nethereum.Signer.Crypto;

namespace Federated.Chain.Signing;

/// <summary>secp256k1 as Ethereum uses it: signing on Nethereum's <see cref="EthECKey"/> (RFC 6979 nonces, low-s
/// signatures), public key recovery on Secp256k1.Net (native libsecp256k1). What stays here is ours: the ranges we accept before the library sees a key or a
/// signature, so that a bad one is refused with a sentence naming what is wrong, and high-s is never accepted.
/// Keys are 32-byte scalars; public keys are 64 bytes x || y.</summary>
public static class Secp256k1
{
    /// <summary>The order of the curve's base point.</summary>
    public static BigInteger N { get; } = new(ECKey.CURVE_ORDER.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>The largest s a canonical (low-s, EIP-2) signature may have.</summary>
    public static BigInteger HalfN { get; } = N >> 1;

    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey) => KeyOf(privateKey).GetPubKeyNoPrefix(false);

    /// <summary>Deterministic (RFC 6979, HMAC-SHA256) low-s signature over a 32-byte hash.</summary>
    public static EcdsaSignature Sign(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey)
    {
        CheckHash(hash);
        var signature = KeyOf(privateKey).SignAndCalculateV(hash.ToArray());
        return new EcdsaSignature(Scalar(signature.R), Scalar(signature.S), signature.V[0] - 27);
    }

    /// <summary>Recovers the 64-byte public key that produced the signature over the hash.</summary>
    /// <remarks>Recovery runs once per signed update on the coordinator, so it goes through Secp256k1.Net, the wrapper
    /// of the native bitcoin-core libsecp256k1 (binaries bundled for Linux, Windows and macOS): about 40 us a recovery
    /// on the bench host, against about 260 us for NBitcoin.Secp256k1's managed port and four times that for
    /// Nethereum's EthECKey, whose recovery cost the coordinator more than the 10% issue 12 allows (docs/benchmarks.md).</remarks>
    public static byte[] Recover(ReadOnlySpan<byte> hash, EcdsaSignature signature)
    {
        CheckHash(hash);
        CheckSignature(signature);
        Span<byte> compact = stackalloc byte[64];
        EcdsaSignature.WriteScalar(signature.R, compact[..32]);
        EcdsaSignature.WriteScalar(signature.S, compact[32..]);
        byte[] uncompressed;
        try
        {
            uncompressed = Secp256k1Net.Secp256k1.RecoverPublicKey(compact, (byte)signature.YParity, hash, compressed: false);
        }
        catch (ArgumentException)
        {
            // The library's only refusal here (r, s and the parity are in range by now): no point has x = r.
            throw new SignatureException("Signature does not recover to a public key (r is not a valid x-coordinate).");
        }
        return uncompressed.AsSpan(1).ToArray();
    }

    /// <summary>True when the signature is canonical (1 ≤ r &lt; n, 1 ≤ s ≤ n/2, parity 0 or 1) and was made
    /// by the key. High-s signatures are refused even though plain ECDSA would accept them.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, EcdsaSignature signature, ReadOnlySpan<byte> publicKey)
    {
        if (hash.Length != 32 || publicKey.Length != 64 || ValidationError(signature) is not null)
            return false;
        try
        {
            return new EthECKey([0x04, .. publicKey], false).Verify(hash.ToArray(), ToLibrary(signature));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Throws a <see cref="SignatureException"/> naming the first out-of-range part.</summary>
    public static void CheckSignature(EcdsaSignature signature)
    {
        if (ValidationError(signature) is { } error)
            throw new SignatureException(error);
    }

    private static string? ValidationError(EcdsaSignature signature)
    {
        if (signature.R.Sign <= 0 || signature.R >= N)
            return "Signature r is out of range: must be in [1, n-1].";
        if (signature.S.Sign <= 0 || signature.S >= N)
            return "Signature s is out of range: must be in [1, n-1].";
        if (signature.S > HalfN)
            return "Signature s is in the upper half of the curve order (high-s, not canonical under EIP-2).";
        if (signature.YParity is not (0 or 1))
            return $"Invalid recovery id {signature.YParity}: y-parity must be 0 or 1.";
        return null;
    }

    private static EthECKey KeyOf(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
            throw new SignatureException($"A private key is 32 bytes, got {privateKey.Length}.");
        var d = new BigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        if (d.IsZero || d >= N)
            throw new SignatureException("Private key is out of range: must be in [1, n-1].");
        return new EthECKey(privateKey.ToArray(), true);
    }

    private static void CheckHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
            throw new SignatureException($"Expected a 32-byte hash, got {hash.Length} bytes.");
    }

    private static EthECDSASignature ToLibrary(EcdsaSignature signature)
    {
        var r = new byte[32];
        var s = new byte[32];
        EcdsaSignature.WriteScalar(signature.R, r);
        EcdsaSignature.WriteScalar(signature.S, s);
        return EthECDSASignatureFactory.FromComponents(r, s, (byte)signature.V);
    }

    private static BigInteger Scalar(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
}
