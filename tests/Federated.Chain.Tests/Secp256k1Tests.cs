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
    public void Hash_above_the_curve_order_enters_the_nonce_unreduced_like_libsecp256k1()
    {
        // Strict RFC 6979 would reduce 0xff..ff mod n first and pick another nonce; cast, geth and k256 do not.
        var signature = Secp256k1.Sign(Hex.Decode("0x" + new string('f', 64)), Hex.Decode("0x" + new string('0', 63) + "1"));
        Assert.Equal("0x3f8fe493cf305a7f02b2d2c060ba66a8f7bd13a7a64d5200c0655ad069bd85b5", Hex.Encode(signature.ToBytes()[..32]));
    }

    public static TheoryData<int> Vectors => CastVectors.Indices("hashSignatures");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signature_over_a_hash_matches_cast_wallet_sign_no_hash(int index)
    {
        var vector = CastVectors.Case("hashSignatures", index);
        Assert.Equal(vector.Text("signature"), Secp256k1.Sign(vector.Bytes("hash"), vector.Bytes("privateKey")).ToHex());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Cast_signature_recovers_to_the_keys_address(int index)
    {
        var vector = CastVectors.Case("hashSignatures", index);
        var signature = EcdsaSignature.FromBytes(vector.Bytes("signature"));
        Assert.Equal(EthSigner.AddressOf(vector.Bytes("privateKey")), EthSigner.RecoverAddress(vector.Bytes("hash"), signature));
    }
}
