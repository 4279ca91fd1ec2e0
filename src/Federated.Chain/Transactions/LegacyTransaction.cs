using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.Transactions;

/// <summary>A legacy (untyped) transaction, signed with EIP-155 replay protection when a chain id is set:
/// the signing hash covers rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0]) and
/// v = chainId * 2 + 35 + yParity. Without a chain id it is the pre-EIP-155 form with v = 27 + yParity.</summary>
public sealed record LegacyTransaction
{
    private const int FieldCount = 9;

    public BigInteger? ChainId { get; init; }
    public required ulong Nonce { get; init; }
    public required BigInteger GasPrice { get; init; }
    public required ulong GasLimit { get; init; }
    public EthereumAddress? To { get; init; }
    public BigInteger Value { get; init; }
    public byte[] Data { get; init; } = [];

    public byte[] SigningPayload()
    {
        var fields = Fields();
        if (ChainId is { } chainId)
            fields.AddRange([RlpItem.Integer(chainId), RlpItem.Integer(0), RlpItem.Integer(0)]);
        return Rlp.Encode(RlpItem.List(fields));
    }

    public byte[] SigningHash() => Keccak256.Hash(SigningPayload());

    public SignedTransaction<LegacyTransaction> Sign(ReadOnlySpan<byte> privateKey)
    {
        var signature = Secp256k1.Sign(SigningHash(), privateKey);
        var raw = EncodeSigned(signature);
        return new SignedTransaction<LegacyTransaction>(this, signature, raw, Keccak256.Hash(raw), EthSigner.AddressOf(privateKey));
    }

    public BigInteger V(int yParity) => ChainId is { } chainId ? chainId * 2 + 35 + yParity : 27 + yParity;

    public byte[] EncodeSigned(EcdsaSignature signature)
    {
        Secp256k1.CheckSignature(signature);
        var fields = Fields();
        fields.AddRange([RlpItem.Integer(V(signature.YParity)), RlpItem.Integer(signature.R), RlpItem.Integer(signature.S)]);
        return Rlp.Encode(RlpItem.List(fields));
    }

    /// <summary>Decodes a signed legacy transaction. With <paramref name="expectedChainId"/> set, only an EIP-155
    /// signature for that chain is accepted; without it, only a pre-EIP-155 (v = 27/28) signature.</summary>
    public static SignedTransaction<LegacyTransaction> Decode(ReadOnlySpan<byte> raw, BigInteger? expectedChainId)
    {
        if (raw.IsEmpty || raw[0] < 0xc0)
            throw new TransactionException("A legacy transaction is an RLP list; this input starts with a type byte or a string.");
        var fields = TransactionFields.List(Rlp.Decode(raw), "transaction");
        if (fields.Count != FieldCount)
            throw new TransactionException($"A signed legacy transaction has {FieldCount} fields, got {fields.Count}.");
        var v = TransactionFields.UInt256(fields[6], "v");
        int yParity;
        if (v >= 35)
            yParity = (int)((v - 35) % 2);
        else if (v == 27 || v == 28)
            yParity = (int)(v - 27);
        else
            throw new SignatureException($"Invalid recovery id v={v}: expected 27, 28, or chainId * 2 + 35 or 36.");
        var chainId = v >= 35 ? (v - 35) / 2 : (BigInteger?)null;
        if (chainId != expectedChainId)
            throw new TransactionException(
                $"Transaction is for chain id {chainId?.ToString() ?? "none (pre-EIP-155)"}, expected {expectedChainId?.ToString() ?? "none"}.");

        var transaction = new LegacyTransaction
        {
            ChainId = chainId,
            Nonce = TransactionFields.UInt64(fields[0], "nonce"),
            GasPrice = TransactionFields.UInt256(fields[1], "gasPrice"),
            GasLimit = TransactionFields.UInt64(fields[2], "gasLimit"),
            To = TransactionFields.Address(fields[3], "to"),
            Value = TransactionFields.UInt256(fields[4], "value"),
            Data = TransactionFields.Bytes(fields[5], "data"),
        };
        var signature = new EcdsaSignature(
            TransactionFields.UInt256(fields[7], "r"),
            TransactionFields.UInt256(fields[8], "s"),
            yParity);
        var sender = EthSigner.RecoverAddress(transaction.SigningHash(), signature);
        return new SignedTransaction<LegacyTransaction>(transaction, signature, raw.ToArray(), Keccak256.Hash(raw), sender);
    }

    private List<RlpItem> Fields()
    {
        TransactionFields.CheckUInt256(GasPrice, "gasPrice");
        TransactionFields.CheckUInt256(Value, "value");
        if (ChainId is { } chainId)
            TransactionFields.CheckUInt256(chainId, "chainId");
        return
        [
            RlpItem.Integer(Nonce),
            RlpItem.Integer(GasPrice),
            RlpItem.Integer(GasLimit),
            To is null ? RlpItem.String([]) : RlpItem.String(To.Bytes),
            RlpItem.Integer(Value),
            RlpItem.String(Data),
        ];
    }
}
