using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Nethereum.Model;

namespace Federated.Chain.Transactions;

/// <summary>An EIP-1559 (type 0x02) transaction as the payout saga records it. The encoding (RLP, the signing
/// payload 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList]),
/// the signed form with yParity, r, s appended) is Nethereum.Model's <see cref="Transaction1559"/>; what is ours is
/// the checking: field ranges before encoding, and on decoding the chain id, a canonical low-s signature, and a
/// canonical encoding (the raw bytes must be exactly what re-encoding the decoded fields gives).</summary>
public sealed record Eip1559Transaction
{
    public const byte Type = 0x02;
    public const int MaxRawBytes = 128 * 1024;
    private static readonly BigInteger MaxUInt256 = (BigInteger.One << 256) - 1;

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

    public byte[] SigningPayload() => ToLibrary().GetRLPEncodedRaw();

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
        var transaction = ToLibrary();
        transaction.SetSignature(new Signature(Minimal(signature.R), Minimal(signature.S), Minimal(signature.YParity)));
        return transaction.GetRLPEncoded();
    }

    /// <summary>Decodes a signed raw transaction, checks it is for <paramref name="expectedChainId"/>
    /// and recovers the sender. Every malformed or unacceptable part is refused with a named error.</summary>
    public static SignedTransaction<Eip1559Transaction> Decode(ReadOnlySpan<byte> raw, BigInteger expectedChainId)
    {
        if (raw.IsEmpty)
            throw new TransactionException("Empty input is not a transaction.");
        // geth's own limit on a transaction's size; nothing larger reaches the library's RLP reader.
        if (raw.Length > MaxRawBytes)
            throw new TransactionException($"A raw transaction is at most {MaxRawBytes} bytes, got {raw.Length}.");
        if (raw[0] != Type)
            throw new TransactionException(raw[0] >= 0xc0
                ? "Expected an EIP-1559 transaction (type 0x02) but found a legacy transaction (an RLP list)."
                : $"Expected an EIP-1559 transaction (type 0x02) but found type 0x{raw[0]:x2}.");
        Transaction1559 decoded;
        try
        {
            decoded = TransactionFactory.CreateTransaction(raw.ToArray()) as Transaction1559
                      ?? throw new TransactionException("Input does not decode to an EIP-1559 transaction.");
        }
        catch (Exception e) when (e is not TransactionException)
        {
            throw new TransactionException($"Malformed EIP-1559 transaction: {e.Message}");
        }
        if (decoded.Signature is not { R: not null, S: not null } librarySignature)
            throw new TransactionException("A signed EIP-1559 transaction has 12 fields; this one carries no signature (is it unsigned?).");

        var transaction = new Eip1559Transaction
        {
            ChainId = decoded.ChainId,
            Nonce = UInt64(decoded.Nonce, "nonce"),
            MaxPriorityFeePerGas = decoded.MaxPriorityFeePerGas ?? 0,
            MaxFeePerGas = decoded.MaxFeePerGas ?? 0,
            GasLimit = UInt64(decoded.GasLimit, "gasLimit"),
            To = Recipient(decoded.ReceiverAddress),
            Value = decoded.Amount ?? 0,
            Data = string.IsNullOrEmpty(decoded.Data) || decoded.Data == "0x" ? [] : Hex.Decode(decoded.Data),
            AccessList = (decoded.AccessList ?? []).Select(AccessListEntry.FromLibrary).ToArray(),
        };
        if (transaction.ChainId != expectedChainId)
            throw new TransactionException($"Transaction is for chain id {transaction.ChainId}, expected chain id {expectedChainId}.");

        var yParity = Scalar(librarySignature.V);
        var signature = new EcdsaSignature(Scalar(librarySignature.R), Scalar(librarySignature.S),
            yParity <= 1 ? (int)yParity : throw new SignatureException($"Invalid recovery id {yParity}: y-parity must be 0 or 1."));
        var sender = EthSigner.RecoverAddress(transaction.SigningHash(), signature);
        // RLP readers accept integers with leading zeros and over-long length prefixes; the same transaction then has
        // two spellings and two hashes. Only the one canonical encoding is accepted.
        if (!transaction.EncodeSigned(signature).AsSpan().SequenceEqual(raw))
            throw new TransactionException("Transaction is not in canonical RLP form (a leading zero, or a non-minimal length).");
        return new SignedTransaction<Eip1559Transaction>(transaction, signature, raw.ToArray(), Keccak256.Hash(raw), sender);
    }

    private Transaction1559 ToLibrary()
    {
        CheckUInt256(ChainId, "chainId");
        CheckUInt256(MaxPriorityFeePerGas, "maxPriorityFeePerGas");
        CheckUInt256(MaxFeePerGas, "maxFeePerGas");
        CheckUInt256(Value, "value");
        if (MaxPriorityFeePerGas > MaxFeePerGas)
            throw new TransactionException(
                $"maxPriorityFeePerGas ({MaxPriorityFeePerGas}) exceeds maxFeePerGas ({MaxFeePerGas}); no node would accept it.");
        return new Transaction1559(ChainId, Nonce, MaxPriorityFeePerGas, MaxFeePerGas, GasLimit,
            To is null ? null : Hex.Encode(To.Bytes), Value, Hex.Encode(Data), AccessList.Select(entry => entry.ToLibrary()).ToList());
    }

    private static void CheckUInt256(BigInteger value, string field)
    {
        if (value.Sign < 0 || value > MaxUInt256)
            throw new TransactionException($"Field {field}: {value} is not an unsigned 256-bit integer.");
    }

    private static ulong UInt64(BigInteger? value, string field) => value is { } v && v >= 0 && v <= ulong.MaxValue
        ? (ulong)v
        : throw new TransactionException($"Field {field}: {value} does not fit in 64 bits.");

    private static EthereumAddress? Recipient(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "0x") return null;
        var bytes = Hex.Decode(text);
        return bytes.Length == EthereumAddress.Size
            ? new EthereumAddress(bytes)
            : throw new TransactionException($"Field to: an address is 20 bytes, got {bytes.Length}.");
    }

    private static byte[] Minimal(BigInteger value) => value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static BigInteger Scalar(byte[]? bytes) => bytes is null ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
}
