using System.Text;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;

namespace Federated.Chain.Tests;

public class EthSignerTests
{
    [Fact]
    public void Personal_message_hash_uses_the_eip191_prefix() =>
        // keccak("\x19Ethereum Signed Message:\n5hello")
        Assert.Equal("0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750", Hex.Encode(EthSigner.HashMessage("hello")));

    [Fact]
    public void Signed_message_recovers_to_the_signer()
    {
        var key = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var signature = EthSigner.SignMessage("Sign in to Federated", key);
        Assert.Equal(EthSigner.AddressOf(key), EthSigner.RecoverMessageSigner("Sign in to Federated", signature));
    }

    public static TheoryData<int> Vectors => CastVectors.Indices("personalSignatures");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Personal_sign_matches_cast_wallet_sign(int index)
    {
        var vector = CastVectors.Case("personalSignatures", index);
        var message = vector.TryGetProperty("text", out var text) ? Encoding.UTF8.GetBytes(text.GetString()!) : vector.Bytes("hex");
        if (vector.TryGetProperty("hash", out var hash))
            Assert.Equal(hash.GetString(), Hex.Encode(EthSigner.HashMessage(message)));
        Assert.Equal(vector.Text("signature"), EthSigner.SignMessage(message, vector.Bytes("privateKey")).ToHex());
    }
}
