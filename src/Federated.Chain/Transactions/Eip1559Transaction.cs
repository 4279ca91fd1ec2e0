using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.Transactions;

/// <summary>An EIP-1559 (type 0x02) transaction.
/// Signing payload: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList]);
/// signed: the same list with yParity, r, s appended.</summary>
public sealed record Eip1559Transaction
{
    public const byte Type = 0x02;
    private const int UnsignedFieldCount = 9;
    private const int SignedFieldCount = 12;

    public required BigInteger ChainId { get; init; }
    public required ulong Nonce { get; init; }
    public required BigInteger MaxPriorityFeePerGas { get; init; }
    public required BigInteger MaxFeePerGas { get; init; }
    public required ulong GasLimit { get; init; }

    /// <summary>The recipient, or null to create a contract from <see cref="Data"/>.</summary>
    public EthereumAddress? To { get; init; }

    public BigInteger Value { get; init; }
    public byte[] Data { get; init; } = [];
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    public byte[] SigningPayload() => [Type, .. Rlp.Encode(RlpItem.List(Fields()))];

    public byte[] SigningHash() => Keccak256.Hash(SigningPayload());

    public SignedTransaction<Eip1559Transaction> Sign(ReadOnlySpan<byte> privateKey)
    {
        var signature = Secp256k1.Sign(SigningHash(), privateKey);
        var raw = EncodeSigned(signature);
        return new SignedTransaction<Eip1559Transaction>(this, signature, raw, Keccak256.Hash(raw), EthSigner.AddressOf(privateKey));
    }

    public byte[] EncodeSigned(EcdsaSignature signature)
    {
        Secp256k1.CheckSignature(signature);
        var fields = Fields();
        fields.Add(RlpItem.Integer(signature.YParity));
        fields.Add(RlpItem.Integer(signature.R));
        fields.Add(RlpItem.Integer(signature.S));
        return [Type, .. Rlp.Encode(RlpItem.List(fields))];
    }

    /// <summary>Decodes a signed raw transaction, checks it is for <paramref name="expectedChainId"/>
    /// and recovers the sender. Every malformed or unacceptable part is refused with a named error.</summary>
    public static SignedTransaction<Eip1559Transaction> Decode(ReadOnlySpan<byte> raw, BigInteger expectedChainId)
    {
        if (raw.IsEmpty)
            throw new TransactionException("Empty input is not a transaction.");
        if (raw[0] != Type)
            throw new TransactionException(raw[0] >= 0xc0
                ? "Expected an EIP-1559 transaction (type 0x02) but found a legacy transaction (an RLP list)."
                : $"Expected an EIP-1559 transaction (type 0x02) but found type 0x{raw[0]:x2}.");
        var fields = TransactionFields.List(Rlp.Decode(raw[1..]), "transaction");
        if (fields.Count != SignedFieldCount)
            throw new TransactionException(
                $"A signed EIP-1559 transaction has {SignedFieldCount} fields, got {fields.Count}" +
                (fields.Count == UnsignedFieldCount ? " (is it unsigned?)." : "."));

        var transaction = new Eip1559Transaction
        {
            ChainId = TransactionFields.UInt256(fields[0], "chainId"),
            Nonce = TransactionFields.UInt64(fields[1], "nonce"),
            MaxPriorityFeePerGas = TransactionFields.UInt256(fields[2], "maxPriorityFeePerGas"),
            MaxFeePerGas = TransactionFields.UInt256(fields[3], "maxFeePerGas"),
            GasLimit = TransactionFields.UInt64(fields[4], "gasLimit"),
            To = TransactionFields.Address(fields[5], "to"),
            Value = TransactionFields.UInt256(fields[6], "value"),
            Data = TransactionFields.Bytes(fields[7], "data"),
            AccessList = AccessListEntry.FromRlp(fields[8]),
        };
        if (transaction.ChainId != expectedChainId)
            throw new TransactionException($"Transaction is for chain id {transaction.ChainId}, expected chain id {expectedChainId}.");

        var yParity = TransactionFields.UInt256(fields[9], "yParity");
        var signature = new EcdsaSignature(
            TransactionFields.UInt256(fields[10], "r"),
            TransactionFields.UInt256(fields[11], "s"),
            yParity <= 1 ? (int)yParity : throw new SignatureException($"Invalid recovery id {yParity}: y-parity must be 0 or 1."));
        var sender = EthSigner.RecoverAddress(transaction.SigningHash(), signature);
        return new SignedTransaction<Eip1559Transaction>(transaction, signature, raw.ToArray(), Keccak256.Hash(raw), sender);
    }

    private List<RlpItem> Fields()
    {
        TransactionFields.CheckUInt256(ChainId, "chainId");
        TransactionFields.CheckUInt256(MaxPriorityFeePerGas, "maxPriorityFeePerGas");
        TransactionFields.CheckUInt256(MaxFeePerGas, "maxFeePerGas");
        TransactionFields.CheckUInt256(Value, "value");
        if (MaxPriorityFeePerGas > MaxFeePerGas)
            throw new TransactionException(
                $"maxPriorityFeePerGas ({MaxPriorityFeePerGas}) exceeds maxFeePerGas ({MaxFeePerGas}); no node would accept it.");
        return
        [
            RlpItem.Integer(ChainId),
            RlpItem.Integer(Nonce),
            RlpItem.Integer(MaxPriorityFeePerGas),
            RlpItem.Integer(MaxFeePerGas),
            RlpItem.Integer(GasLimit),
            To is null ? RlpItem.String([]) : RlpItem.String(To.Bytes),
            RlpItem.Integer(Value),
            RlpItem.String(Data),
            RlpItem.List(AccessList.Select(entry => entry.ToRlp())),
        ];
    }
}
