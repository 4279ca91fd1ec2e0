using System.Numerics;
using System.Text.Json;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;
using Federated.Chain.Transactions;
using Nethereum.RLP;

namespace Federated.Chain.Tests;

public class Eip1559TransactionTests
{
    private static readonly byte[] Key = Hex.Decode("0x4646464646464646464646464646464646464646464646464646464646464646");

    private static readonly Eip1559Transaction Transfer = new()
    {
        ChainId = 1,
        Nonce = 9,
        MaxPriorityFeePerGas = 1_000_000_000,
        MaxFeePerGas = 20_000_000_000,
        GasLimit = 21_000,
        To = EthereumAddress.Parse("0x3535353535353535353535353535353535353535"),
        Value = BigInteger.Pow(10, 18),
    };

    private static byte[] SignedTransfer => Transfer.Sign(Key).Raw;

    // The signed transfer's twelve fields as RLP strings (the access list, index 8, is written as an empty list),
    // changed by the test and encoded with Nethereum's RLP: hostile inputs without an encoder of our own.
    private static byte[] Reencode(Func<byte[][], byte[][]> change)
    {
        var signature = Transfer.Sign(Key).Signature;
        byte[][] fields =
        [
            Int(1), Int(9), Int(1_000_000_000), Int(20_000_000_000), Int(21_000), Transfer.To!.ToArray(), Int(BigInteger.Pow(10, 18)),
            [], [], Int(signature.YParity), Int(signature.R), Int(signature.S),
        ];
        var changed = change(fields);
        return [0x02, .. RLP.EncodeList(changed.Select((field, i) => i == 8 ? RLP.EncodeList() : RLP.EncodeElement(field)).ToArray())];
    }

    private static byte[] Int(BigInteger value) => value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static byte[][] With(byte[][] fields, int index, byte[] value)
    {
        fields[index] = value;
        return fields;
    }

    [Fact]
    public void Signing_payload_starts_with_the_type_byte() => Assert.Equal(0x02, Transfer.SigningPayload()[0]);

    [Fact]
    public void Transaction_hash_is_keccak_of_the_raw_bytes()
    {
        var signed = Transfer.Sign(Key);
        Assert.Equal(Hashing.Keccak256.Hash(signed.Raw), signed.Hash);
    }

    [Fact]
    public void Decoding_gives_back_the_transaction_and_sender()
    {
        var decoded = Eip1559Transaction.Decode(SignedTransfer, expectedChainId: 1);
        Assert.Equal(EthSigner.AddressOf(Key), decoded.Sender);
        Assert.Equal(Transfer.SigningHash(), decoded.Transaction.SigningHash());
    }

    [Fact]
    public void Wrong_chain_id_is_refused() =>
        Assert.Equal("Transaction is for chain id 1, expected chain id 11155111.",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(SignedTransfer, expectedChainId: 11155111)).Message);

    [Fact]
    public void Wrong_type_byte_is_refused()
    {
        var raw = SignedTransfer;
        raw[0] = 0x01;
        Assert.Equal("Expected an EIP-1559 transaction (type 0x02) but found type 0x01.",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(raw, 1)).Message);
    }

    [Fact]
    public void Legacy_transaction_is_refused_as_not_type_2() =>
        Assert.Contains("found a legacy transaction",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(SignedTransfer.AsSpan(1), 1)).Message);

    [Fact]
    public void Unsigned_payload_is_refused_for_its_field_count() =>
        Assert.Contains("unsigned?",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(Transfer.SigningPayload(), 1)).Message);

    [Fact]
    public void Truncated_raw_transaction_is_refused() =>
        Assert.StartsWith("Malformed EIP-1559 transaction", Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(SignedTransfer[..^5], 1)).Message);

    [Fact]
    public void Recovery_id_other_than_0_or_1_is_refused() =>
        Assert.Equal("Invalid recovery id 27: y-parity must be 0 or 1.",
            Assert.Throws<SignatureException>(() => Eip1559Transaction.Decode(Reencode(f => With(f, 9, Int(27))), 1)).Message);

    [Fact]
    public void High_s_signature_is_refused()
    {
        var raw = Reencode(f =>
        {
            var s = new BigInteger(f[11], isUnsigned: true, isBigEndian: true);
            var parity = new BigInteger(f[9], isUnsigned: true, isBigEndian: true);
            return With(With(f, 11, Int(Secp256k1.N - s)), 9, Int(1 - parity));
        });
        Assert.Contains("high-s", Assert.Throws<SignatureException>(() => Eip1559Transaction.Decode(raw, 1)).Message);
    }

    [Fact]
    public void Nonce_with_a_leading_zero_is_refused() =>
        Assert.StartsWith("Transaction is not in canonical RLP form",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(Reencode(f => With(f, 1, [0, 9])), 1)).Message);

    [Fact]
    public void Reencoded_fields_of_the_transfer_decode_as_the_transfer() =>
        Assert.Equal(SignedTransfer, Eip1559Transaction.Decode(Reencode(f => f), 1).Raw);

    [Fact]
    public void Trailing_bytes_after_the_transaction_are_refused() =>
        Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode([.. SignedTransfer, 0x00], 1));

    [Fact]
    public void Input_larger_than_a_transaction_can_be_is_refused_before_decoding() =>
        Assert.StartsWith("A raw transaction is at most",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode([0x02, .. new byte[Eip1559Transaction.MaxRawBytes]], 1)).Message);

    [Fact]
    public void Recipient_of_the_wrong_length_is_refused() =>
        Assert.Equal("Field to: an address is 20 bytes, got 19.",
            Assert.Throws<TransactionException>(() => Eip1559Transaction.Decode(Reencode(f => With(f, 5, new byte[19])), 1)).Message);

    [Fact]
    public void Priority_fee_above_max_fee_is_refused() =>
        Assert.Contains("exceeds maxFeePerGas",
            Assert.Throws<TransactionException>(() => (Transfer with { MaxPriorityFeePerGas = Transfer.MaxFeePerGas + 1 }).SigningPayload()).Message);

    [Fact]
    public void Negative_value_is_refused() =>
        Assert.Equal("Field value: -1 is not an unsigned 256-bit integer.",
            Assert.Throws<TransactionException>(() => (Transfer with { Value = -1 }).SigningPayload()).Message);

    public static TheoryData<int> Vectors => CastVectors.Indices("eip1559");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signed_transaction_matches_cast_mktx(int index)
    {
        var vector = CastVectors.Case("eip1559", index);
        Assert.Equal(vector.Text("raw"), Hex.Encode(FromVector(vector).Sign(vector.Bytes("privateKey")).Raw));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Cast_mktx_output_decodes_to_the_same_fields_and_sender(int index)
    {
        var vector = CastVectors.Case("eip1559", index);
        var decoded = Eip1559Transaction.Decode(vector.Bytes("raw"), vector.Integer("chainId"));
        Assert.Equal(EthSigner.AddressOf(vector.Bytes("privateKey")), decoded.Sender);
        Assert.Equal(FromVector(vector).SigningPayload(), decoded.Transaction.SigningPayload());
    }

    private static Eip1559Transaction FromVector(JsonElement vector) => new()
    {
        ChainId = vector.Integer("chainId"),
        Nonce = (ulong)vector.Integer("nonce"),
        MaxPriorityFeePerGas = vector.Integer("maxPriorityFeePerGas"),
        MaxFeePerGas = vector.Integer("maxFeePerGas"),
        GasLimit = (ulong)vector.Integer("gasLimit"),
        To = vector.GetProperty("to").GetString() is { } to ? EthereumAddress.Parse(to) : null,
        Value = vector.Integer("value"),
        Data = vector.Bytes("data"),
        AccessList = vector.GetProperty("accessList").EnumerateArray()
            .Select(e => new AccessListEntry(
                EthereumAddress.Parse(e.Text("address")),
                e.GetProperty("storageKeys").EnumerateArray().Select(k => Hex.Decode(k.GetString()!)).ToArray()))
            .ToArray(),
    };
}
