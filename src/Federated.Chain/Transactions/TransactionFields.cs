using System.Numerics;
using Federated.Chain.Codecs;

namespace Federated.Chain.Transactions;

/// <summary>Reads transaction fields out of decoded RLP, naming the field in every error.</summary>
internal static class TransactionFields
{
    public static readonly BigInteger MaxUInt256 = (BigInteger.One << 256) - 1;

    public static BigInteger UInt256(RlpItem item, string field) => Read(field, () => item.ToBigInteger(32));

    public static ulong UInt64(RlpItem item, string field) => Read(field, item.ToUInt64);

    public static byte[] Bytes(RlpItem item, string field) => Read(field, () => item.Bytes);

    public static IReadOnlyList<RlpItem> List(RlpItem item, string field) => Read(field, () => item.Items);

    /// <summary>A 20-byte address, or null for the empty string (contract creation).</summary>
    public static EthereumAddress? Address(RlpItem item, string field)
    {
        var bytes = Bytes(item, field);
        return bytes.Length switch
        {
            0 => null,
            EthereumAddress.Size => new EthereumAddress(bytes),
            _ => throw new TransactionException($"Field {field}: an address is 20 bytes, got {bytes.Length}."),
        };
    }

    public static byte[] FixedBytes(RlpItem item, int length, string field)
    {
        var bytes = Bytes(item, field);
        return bytes.Length == length
            ? bytes
            : throw new TransactionException($"Field {field}: expected {length} bytes, got {bytes.Length}.");
    }

    public static void CheckUInt256(BigInteger value, string field)
    {
        if (value.Sign < 0 || value > MaxUInt256)
            throw new TransactionException($"Field {field}: {value} is not an unsigned 256-bit integer.");
    }

    private static T Read<T>(string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (RlpException e)
        {
            throw new TransactionException($"Field {field}: {e.Message}");
        }
    }
}
