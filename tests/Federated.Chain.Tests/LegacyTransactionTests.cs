using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;
using Federated.Chain.Transactions;

namespace Federated.Chain.Tests;

public class LegacyTransactionTests
{
    // The example transaction published in EIP-155.
    private static readonly byte[] Eip155Key = Hex.Decode("0x4646464646464646464646464646464646464646464646464646464646464646");

    private static readonly LegacyTransaction Eip155Example = new()
    {
        ChainId = 1,
        Nonce = 9,
        GasPrice = 20_000_000_000,
        GasLimit = 21_000,
        To = EthereumAddress.Parse("0x3535353535353535353535353535353535353535"),
        Value = BigInteger.Pow(10, 18),
    };

    private const string Eip155Signed =
        "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

    [Fact]
    public void Eip155_example_signing_payload_matches_the_eip() =>
        Assert.Equal("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
            Hex.Encode(Eip155Example.SigningPayload()));

    [Fact]
    public void Eip155_example_signing_hash_matches_the_eip() =>
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(Eip155Example.SigningHash()));

    [Fact]
    public void Eip155_example_signature_matches_the_eip()
    {
        var signed = Eip155Example.Sign(Eip155Key);
        Assert.Equal(BigInteger.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846"), signed.Signature.R);
        Assert.Equal(BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531"), signed.Signature.S);
        Assert.Equal(37, Eip155Example.V(signed.Signature.YParity));
    }

    [Fact]
    public void Eip155_example_signed_transaction_matches_the_eip() => Assert.Equal(Eip155Signed, Hex.Encode(Eip155Example.Sign(Eip155Key).Raw));

    [Fact]
    public void Eip155_example_decodes_with_its_sender()
    {
        var decoded = LegacyTransaction.Decode(Hex.Decode(Eip155Signed), expectedChainId: 1);
        Assert.Equal(EthereumAddress.Parse("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"), decoded.Sender);
        Assert.Equal(Eip155Example, decoded.Transaction with { Data = Eip155Example.Data });
    }

    [Fact]
    public void Decoding_for_another_chain_is_refused() =>
        Assert.Equal("Transaction is for chain id 1, expected 5.",
            Assert.Throws<TransactionException>(() => LegacyTransaction.Decode(Hex.Decode(Eip155Signed), expectedChainId: 5)).Message);

    [Fact]
    public void Unprotected_signature_round_trips_with_v_27_or_28()
    {
        var unprotected = Eip155Example with { ChainId = null };
        var signed = unprotected.Sign(Eip155Key);
        var decoded = LegacyTransaction.Decode(signed.Raw, expectedChainId: null);
        Assert.Equal(signed.Sender, decoded.Sender);
    }

    [Fact]
    public void V_that_is_neither_legacy_nor_eip155_is_an_invalid_recovery_id()
    {
        var signature = Eip155Example.Sign(Eip155Key).Signature;
        var fields = Rlp.Decode(Eip155Example.EncodeSigned(signature)).Items.ToArray();
        fields[6] = RlpItem.Integer(29);
        var error = Assert.Throws<SignatureException>(() => LegacyTransaction.Decode(Rlp.Encode(RlpItem.List(fields)), 1));
        Assert.StartsWith("Invalid recovery id v=29", error.Message);
    }

    public static TheoryData<int> Vectors => CastVectors.Indices("legacy");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signed_transaction_matches_cast_mktx_legacy(int index)
    {
        var vector = CastVectors.Case("legacy", index);
        var transaction = new LegacyTransaction
        {
            ChainId = vector.Integer("chainId"),
            Nonce = (ulong)vector.Integer("nonce"),
            GasPrice = vector.Integer("gasPrice"),
            GasLimit = (ulong)vector.Integer("gasLimit"),
            To = EthereumAddress.Parse(vector.Text("to")),
            Value = vector.Integer("value"),
            Data = vector.Bytes("data"),
        };
        Assert.Equal(vector.Text("raw"), Hex.Encode(transaction.Sign(vector.Bytes("privateKey")).Raw));
    }
}
