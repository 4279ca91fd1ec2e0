using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.Tests;

public class Secp256k1Tests
{
    private static readonly byte[] Key = Hex.Decode("0x4646464646464646464646464646464646464646464646464646464646464646");
    private static readonly byte[] MessageHash = Keccak256.HashUtf8("federated");

    [Fact]
    public void Signing_is_deterministic() => Assert.Equal(Secp256k1.Sign(MessageHash, Key), Secp256k1.Sign(MessageHash, Key));

    [Fact]
    public void Signatures_are_low_s() =>
        Assert.All(Enumerable.Range(0, 32).Select(i => Secp256k1.Sign(Keccak256.Hash([(byte)i]), Key)),
            signature => Assert.True(signature.S <= Secp256k1.HalfN));

    [Fact]
    public void Recovery_gives_back_the_signing_key()
    {
        var signature = Secp256k1.Sign(MessageHash, Key);
        Assert.Equal(Secp256k1.PublicKey(Key), Secp256k1.Recover(MessageHash, signature));
    }

    [Fact]
    public void Verification_accepts_the_signers_key() =>
        Assert.True(Secp256k1.Verify(MessageHash, Secp256k1.Sign(MessageHash, Key), Secp256k1.PublicKey(Key)));

    [Fact]
    public void Verification_refuses_another_hash() =>
        Assert.False(Secp256k1.Verify(Keccak256.HashUtf8("other"), Secp256k1.Sign(MessageHash, Key), Secp256k1.PublicKey(Key)));

    [Fact]
    public void High_s_twin_of_a_valid_signature_fails_verification()
    {
        var signature = Secp256k1.Sign(MessageHash, Key);
        var highS = signature with { S = Secp256k1.N - signature.S, YParity = 1 - signature.YParity };
        Assert.False(Secp256k1.Verify(MessageHash, highS, Secp256k1.PublicKey(Key)));
    }

    [Fact]
    public void High_s_twin_of_a_valid_signature_is_refused_for_recovery()
    {
        var signature = Secp256k1.Sign(MessageHash, Key);
        var highS = signature with { S = Secp256k1.N - signature.S, YParity = 1 - signature.YParity };
        var error = Assert.Throws<SignatureException>(() => Secp256k1.Recover(MessageHash, highS));
        Assert.Equal("Signature s is in the upper half of the curve order (high-s, not canonical under EIP-2).", error.Message);
    }

    [Theory]
    [InlineData("0", "1", "Signature r is out of range")]
    [InlineData("n", "1", "Signature r is out of range")]
    [InlineData("1", "0", "Signature s is out of range")]
    [InlineData("1", "n", "Signature s is out of range")]
    public void Scalars_out_of_range_are_refused(string r, string s, string fragment)
    {
        BigInteger Value(string text) => text == "n" ? Secp256k1.N : BigInteger.Parse(text);
        var error = Assert.Throws<SignatureException>(() => Secp256k1.Recover(MessageHash, new EcdsaSignature(Value(r), Value(s), 0)));
        Assert.StartsWith(fragment, error.Message);
    }

    [Fact]
    public void Recovery_id_other_than_0_or_1_is_refused()
    {
        var signature = Secp256k1.Sign(MessageHash, Key) with { YParity = 2 };
        Assert.Equal("Invalid recovery id 2: y-parity must be 0 or 1.",
            Assert.Throws<SignatureException>(() => Secp256k1.Recover(MessageHash, signature)).Message);
    }

    [Fact]
    public void V_of_29_is_an_invalid_recovery_id()
    {
        var bytes = Secp256k1.Sign(MessageHash, Key).ToBytes();
        bytes[64] = 29;
        Assert.Equal("Invalid recovery id v=29: expected 0, 1, 27 or 28.",
            Assert.Throws<SignatureException>(() => EcdsaSignature.FromBytes(bytes)).Message);
    }

    [Fact]
    public void Eip155_v_maps_to_parity_for_its_chain() => Assert.Equal(0, EcdsaSignature.YParityFromV(37, chainId: 1));

    [Fact]
    public void R_that_is_not_an_x_coordinate_cannot_recover()
    {
        // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p).
        var error = Assert.Throws<SignatureException>(() => Secp256k1.Recover(MessageHash, new EcdsaSignature(5, 1, 0)));
        Assert.Contains("r is not a valid x-coordinate", error.Message);
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000", "out of range")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "out of range")]
    [InlineData("0x01", "A private key is 32 bytes, got 1")]
    public void Invalid_private_keys_are_refused(string key, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<SignatureException>(() => Secp256k1.PublicKey(Hex.Decode(key))).Message);

    [Fact]
    public void Hash_of_the_wrong_size_is_refused() =>
        Assert.Equal("Expected a 32-byte hash, got 31 bytes.", Assert.Throws<SignatureException>(() => Secp256k1.Sign(new byte[31], Key)).Message);

    [Fact]
    public void Hash_above_the_curve_order_is_signed_deterministically_and_verifies()
    {
        // libsecp256k1 (cast, geth) feeds a hash >= n into the RFC 6979 nonce unreduced; Nethereum's EthECKey derives
        // another nonce there, so its r differs from cast's for this one input (a hash no Keccak output is expected
        // to reach). Both signatures are valid: the same key signs the same hash the same way every time, and recovers.
        var hash = Hex.Decode("0x" + new string('f', 64));
        var key = Hex.Decode("0x" + new string('0', 63) + "1");
        var signature = Secp256k1.Sign(hash, key);
        Assert.Equal(signature, Secp256k1.Sign(hash, key));
        Assert.Equal(EthSigner.AddressOf(key), EthSigner.RecoverAddress(hash, signature));
    }

    public static TheoryData<int> Vectors => CastVectors.Indices("hashSignatures");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signature_over_a_hash_matches_cast_wallet_sign_no_hash(int index)
    {
        var vector = CastVectors.Case("hashSignatures", index);
        var signature = Secp256k1.Sign(vector.Bytes("hash"), vector.Bytes("privateKey"));
        if (new BigInteger(vector.Bytes("hash"), isUnsigned: true, isBigEndian: true) >= Secp256k1.N)
            // The one documented difference from libsecp256k1 (see Hash_above_the_curve_order_...): a valid, low-s
            // signature by the same key, not cast's bytes.
            Assert.Equal(EthSigner.AddressOf(vector.Bytes("privateKey")), EthSigner.RecoverAddress(vector.Bytes("hash"), signature));
        else
            Assert.Equal(vector.Text("signature"), signature.ToHex());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Cast_signature_recovers_to_the_keys_address(int index)
    {
        var vector = CastVectors.Case("hashSignatures", index);
        var signature = EcdsaSignature.FromBytes(vector.Bytes("signature"));
        Assert.Equal(EthSigner.AddressOf(vector.Bytes("privateKey")), EthSigner.RecoverAddress(vector.Bytes("hash"), signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void An_r_that_is_no_curve_x_coordinate_is_refused_by_the_native_recovery(int parity)
    {
        // 5^3 + 7 = 132 is not a square modulo p, so no point has x = 5: in range, yet nothing recovers. The native
        // library's refusal must come out as our SignatureException, and as Malformed from the signature check.
        var signature = new EcdsaSignature(5, 1, parity);
        var hash = Keccak256.HashUtf8("no point");
        Assert.Contains("does not recover", Assert.Throws<SignatureException>(() => Secp256k1.Recover(hash, signature)).Message);
        Assert.Equal(Federated.Chain.Attestations.SignatureFault.Malformed,
            Federated.Chain.Attestations.SignatureCheck.Verify(hash, signature.ToHex()).Fault);
    }
}
