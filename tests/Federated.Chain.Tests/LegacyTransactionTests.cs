using System.Numerics;
using Federated.Chain.Codecs;
using Nethereum.Model;
using Nethereum.Signer;

namespace Federated.Chain.Tests;

/// <summary>Legacy (EIP-155) transactions are Nethereum's alone (the payout saga sends EIP-1559); the example published
/// in EIP-155 and cast's mktx --legacy vectors stay as acceptance tests of that library path.</summary>
public class LegacyTransactionTests
{
    private static readonly byte[] Eip155Key = Hex.Decode("0x4646464646464646464646464646464646464646464646464646464646464646");

    private const string Eip155Signed =
        "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

    private static LegacyTransactionChainId Eip155Example() =>
        new("0x3535353535353535353535353535353535353535", BigInteger.Pow(10, 18), 9, 20_000_000_000, 21_000, "", 1);

    [Fact]
    public void Eip155_example_signing_payload_matches_the_eip() =>
        Assert.Equal("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
            Hex.Encode(Eip155Example().GetRLPEncodedRaw()));

    [Fact]
    public void Eip155_example_signing_hash_matches_the_eip() =>
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(Eip155Example().RawHash));

    [Fact]
    public void Eip155_example_signed_transaction_matches_the_eip() =>
        Assert.Equal(Eip155Signed, "0x" + new LegacyTransactionSigner().SignTransaction(Eip155Key, Eip155Example()));

    [Fact]
    public void Eip155_example_decodes_with_its_sender() =>
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",
            new TransactionVerificationAndRecoveryImp().GetSenderAddress(Eip155Signed));

    public static TheoryData<int> Vectors => CastVectors.Indices("legacy");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signed_transaction_matches_cast_mktx_legacy(int index)
    {
        var vector = CastVectors.Case("legacy", index);
        var transaction = new LegacyTransactionChainId(vector.Text("to"), vector.Integer("value"), vector.Integer("nonce"),
            vector.Integer("gasPrice"), vector.Integer("gasLimit"), Hex.Encode(vector.Bytes("data")), vector.Integer("chainId"));
        Assert.Equal(vector.Text("raw"), "0x" + new LegacyTransactionSigner().SignTransaction(vector.Bytes("privateKey"), transaction));
    }
}
