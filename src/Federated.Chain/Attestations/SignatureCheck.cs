using Federated.Chain.Codecs;
using Federated.Chain.Signing;

namespace Federated.Chain.Attestations;

/// <summary>Why a signature was not accepted.</summary>
public enum SignatureFault
{
    /// <summary>No signature at all.</summary>
    Missing,
    /// <summary>Not 65 bytes of hex, r or s out of range, a bad recovery id, or no public key recovers.</summary>
    Malformed,
    /// <summary>s in the upper half of the curve order: valid ECDSA but not canonical (EIP-2), so a malleated copy.</summary>
    HighS,
    /// <summary>It recovers to an address other than the one the message claims signed it.</summary>
    SignerMismatch,
}

/// <summary>The signer a signature recovers to, or why none is accepted (with a sentence saying so).</summary>
public sealed record SignatureVerdict(EthereumAddress? Signer, SignatureFault? Fault, string? Detail)
{
    public bool IsValid => Fault is null;

    /// <summary>The accepted signature in one spelling: "0x", lowercase, r and s as 32 bytes, v as 27 or 28. The same
    /// signature written with or without 0x, in upper case or with v as 0/1 has the same canonical form, so a memory
    /// of used signatures must hold this, never the text as received. Null unless valid.</summary>
    public string? Canonical { get; init; }
}

/// <summary>Recovers and checks an Ethereum signature (r || s || v hex) over a 32-byte digest.</summary>
public static class SignatureCheck
{
    /// <param name="claimedSigner">The address the message says signed it, if it says; a recovered address that
    /// differs is a <see cref="SignatureFault.SignerMismatch"/>.</param>
    public static SignatureVerdict Verify(ReadOnlySpan<byte> digest, string? signatureHex, string? claimedSigner = null)
    {
        if (string.IsNullOrEmpty(signatureHex)) return new(null, SignatureFault.Missing, "the message carries no signature");
        EcdsaSignature signature;
        try
        {
            signature = EcdsaSignature.FromBytes(Hex.Decode(signatureHex));
        }
        catch (Exception e) when (e is FormatException or SignatureException)
        {
            return new(null, SignatureFault.Malformed, $"signature is not 65 bytes of r, s, v hex: {e.Message}");
        }
        if (signature.S > Secp256k1.HalfN && signature.S < Secp256k1.N)
            return new(null, SignatureFault.HighS, "signature s is in the upper half of the curve order (not canonical under EIP-2)");
        EthereumAddress signer;
        try
        {
            signer = EthSigner.RecoverAddress(digest, signature);
        }
        catch (SignatureException e)
        {
            return new(null, SignatureFault.Malformed, e.Message);
        }
        if (claimedSigner is not null)
        {
            if (!EthereumAddress.TryParse(claimedSigner, out var claimed))
                return new(null, SignatureFault.Malformed, $"claimed signer \"{claimedSigner}\" is not an address");
            if (claimed != signer)
                return new(signer, SignatureFault.SignerMismatch, $"signature recovers to {signer}, not the claimed signer {claimed}");
            // The same address; the parsed one already holds its checksum text when the claim was written in EIP-55.
            signer = claimed!;
        }
        return new(signer, null, null) { Canonical = signature.ToHex() };
    }
}
