using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace Federated.Chain.Signing;

/// <summary>secp256k1 ECDSA as Ethereum uses it: RFC 6979 nonces, low-s signatures, and public key
/// recovery from (hash, r, s, y-parity). Keys are 32-byte scalars; public keys are 64 bytes x || y.</summary>
public static class Secp256k1
{
    private static readonly ECDomainParameters Domain = CreateDomain();

    /// <summary>The order of the curve's base point.</summary>
    public static BigInteger N { get; } = ToSystem(Domain.N);

    /// <summary>The largest s a canonical (low-s, EIP-2) signature may have.</summary>
    public static BigInteger HalfN { get; } = N >> 1;

    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey)
    {
        var d = CheckPrivateKey(privateKey);
        var point = Domain.G.Multiply(d).Normalize();
        return point.GetEncoded(false)[1..];
    }

    /// <summary>Deterministic (RFC 6979, HMAC-SHA256, see <see cref="DeterministicNonce"/>) signature over a
    /// 32-byte hash, normalized to low s.</summary>
    public static EcdsaSignature Sign(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey)
    {
        CheckHash(hash);
        var d = CheckPrivateKey(privateKey);
        var signer = new ECDsaSigner(new DeterministicNonce());
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        var rs = signer.GenerateSignature(hash.ToArray());
        var r = ToSystem(rs[0]);
        var s = ToSystem(rs[1]);
        // Flipping s to n - s mirrors the nonce point, so the parity is found by recovery afterwards.
        if (s > HalfN)
            s = N - s;

        var publicKey = PublicKey(privateKey);
        for (var parity = 0; parity <= 1; parity++)
        {
            var candidate = new EcdsaSignature(r, s, parity);
            if (TryRecover(hash, candidate, out var recovered) && recovered.AsSpan().SequenceEqual(publicKey))
                return candidate;
        }
        throw new InvalidOperationException("No recovery id reproduces the signing key; this cannot happen for a valid key.");
    }

    /// <summary>Recovers the 64-byte public key that produced the signature over the hash.</summary>
    public static byte[] Recover(ReadOnlySpan<byte> hash, EcdsaSignature signature)
    {
        CheckHash(hash);
        CheckSignature(signature);
        return RecoverUnchecked(hash, signature)
               ?? throw new SignatureException("Signature does not recover to a public key (r is not a valid x-coordinate).");
    }

    /// <summary>True when the signature is canonical (1 ≤ r &lt; n, 1 ≤ s ≤ n/2, parity 0 or 1) and was made
    /// by the key. High-s signatures are refused even though plain ECDSA would accept them.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, EcdsaSignature signature, ReadOnlySpan<byte> publicKey)
    {
        if (hash.Length != 32 || publicKey.Length != 64 || ValidationError(signature) is not null)
            return false;
        ECPoint point;
        try
        {
            point = Domain.Curve.DecodePoint([0x04, .. publicKey]);
        }
        catch (ArgumentException)
        {
            return false;
        }
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(point, Domain));
        return verifier.VerifySignature(hash.ToArray(), ToBouncy(signature.R), ToBouncy(signature.S));
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

    private static bool TryRecover(ReadOnlySpan<byte> hash, EcdsaSignature signature, out byte[] publicKey)
    {
        publicKey = RecoverUnchecked(hash, signature) ?? [];
        return publicKey.Length == 64;
    }

    // SEC 1 v2, section 4.1.6: Q = r^-1 (sR - eG), where R is the curve point with x = r and the given y-parity.
    private static byte[]? RecoverUnchecked(ReadOnlySpan<byte> hash, EcdsaSignature signature)
    {
        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 + signature.YParity);
        EcdsaSignature.WriteScalar(signature.R, compressed.AsSpan(1));
        ECPoint noncePoint;
        try
        {
            noncePoint = Domain.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var n = Domain.N;
        var r = ToBouncy(signature.R);
        var e = new BcBigInteger(1, hash.ToArray());
        var rInverse = r.ModInverse(n);
        var u1 = e.Negate().Multiply(rInverse).Mod(n);
        var u2 = ToBouncy(signature.S).Multiply(rInverse).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Domain.G, u1, noncePoint, u2).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(false)[1..];
    }

    private static BcBigInteger CheckPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
            throw new SignatureException($"A private key is 32 bytes, got {privateKey.Length}.");
        var d = new BcBigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Domain.N) >= 0)
            throw new SignatureException("Private key is out of range: must be in [1, n-1].");
        return d;
    }

    private static void CheckHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
            throw new SignatureException($"Expected a 32-byte hash, got {hash.Length} bytes.");
    }

    private static ECDomainParameters CreateDomain()
    {
        var curve = CustomNamedCurves.GetByName("secp256k1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
    }

    private static BigInteger ToSystem(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private static BcBigInteger ToBouncy(BigInteger value) =>
        new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
