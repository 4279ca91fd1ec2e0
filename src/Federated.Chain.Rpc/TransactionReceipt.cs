using System.Numerics;
using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

public sealed record TransactionReceipt(
    byte[] TransactionHash,
    ulong BlockNumber,
    byte[] BlockHash,
    EthereumAddress From,
    EthereumAddress? To,
    EthereumAddress? ContractAddress,
    ulong Status,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>Status 1: the transaction executed; 0: it reverted (its fee was still paid).</summary>
    public bool Succeeded => Status == 1;

    internal static TransactionReceipt FromJson(JsonElement json) => new(
        Hex.Decode(json.GetProperty("transactionHash").GetString()!),
        Quantity.ParseUInt64(json.GetProperty("blockNumber"), "receipt blockNumber"),
        Hex.Decode(json.GetProperty("blockHash").GetString()!),
        EthereumAddress.Parse(json.GetProperty("from").GetString()!),
        OptionalAddress(json, "to"),
        OptionalAddress(json, "contractAddress"),
        Quantity.ParseUInt64(json.GetProperty("status"), "receipt status"),
        Quantity.ParseUInt64(json.GetProperty("gasUsed"), "receipt gasUsed"),
        json.TryGetProperty("effectiveGasPrice", out var price) ? Quantity.Parse(price, "receipt effectiveGasPrice") : BigInteger.Zero,
        [.. json.GetProperty("logs").EnumerateArray().Select(LogEntry.FromJson)]);

    private static EthereumAddress? OptionalAddress(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? EthereumAddress.Parse(value.GetString()!) : null;
}

public sealed record LogEntry(
    EthereumAddress Address,
    IReadOnlyList<byte[]> Topics,
    byte[] Data,
    ulong BlockNumber,
    byte[] TransactionHash,
    ulong LogIndex,
    bool Removed)
{
    internal static LogEntry FromJson(JsonElement json) => new(
        EthereumAddress.Parse(json.GetProperty("address").GetString()!),
        [.. json.GetProperty("topics").EnumerateArray().Select(t => Hex.DecodeFixed(t.GetString()!, 32))],
        Hex.Decode(json.GetProperty("data").GetString()!),
        json.TryGetProperty("blockNumber", out var block) && block.ValueKind == JsonValueKind.String ? Quantity.ParseUInt64(block, "log blockNumber") : 0,
        json.TryGetProperty("transactionHash", out var hash) && hash.ValueKind == JsonValueKind.String ? Hex.Decode(hash.GetString()!) : [],
        json.TryGetProperty("logIndex", out var index) && index.ValueKind == JsonValueKind.String ? Quantity.ParseUInt64(index, "log logIndex") : 0,
        json.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True);
}
