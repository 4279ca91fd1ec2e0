using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>The eth_* methods, typed.</summary>
public sealed partial class EthereumRpcClient
{
    public async Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken = default) =>
        Quantity.Parse(await RequestAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false), "eth_chainId");

    public async Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await RequestAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false), "eth_blockNumber");

    public async Task<BigInteger> GetBalanceAsync(EthereumAddress address, string block = BlockTag.Latest, CancellationToken cancellationToken = default) =>
        Quantity.Parse(await RequestAsync("eth_getBalance", [Hex.Encode(address.Bytes), block], cancellationToken).ConfigureAwait(false), "eth_getBalance");

    /// <summary>The account's nonce: "latest" counts mined transactions, "pending" also those in the pool.</summary>
    public async Task<ulong> GetTransactionCountAsync(EthereumAddress address, string block = BlockTag.Pending, CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await RequestAsync("eth_getTransactionCount", [Hex.Encode(address.Bytes), block], cancellationToken).ConfigureAwait(false), "eth_getTransactionCount");

    public async Task<byte[]> GetCodeAsync(EthereumAddress address, string block = BlockTag.Latest, CancellationToken cancellationToken = default) =>
        Bytes(await RequestAsync("eth_getCode", [Hex.Encode(address.Bytes), block], cancellationToken).ConfigureAwait(false), "eth_getCode");

    public async Task<BigInteger> GasPriceAsync(CancellationToken cancellationToken = default) =>
        Quantity.Parse(await RequestAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false), "eth_gasPrice");

    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        Quantity.Parse(await RequestAsync("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false), "eth_maxPriorityFeePerGas");

    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, string newestBlock, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        var percentiles = new JsonArray([.. rewardPercentiles.Select(p => (JsonNode)p)]);
        var result = await RequestAsync("eth_feeHistory", [Quantity.Encode((ulong)blockCount), newestBlock, percentiles], cancellationToken).ConfigureAwait(false);
        return FeeHistory.FromJson(result);
    }

    /// <summary>EIP-1559 fees for the next block: the tip is eth_maxPriorityFeePerGas (or the median tip of
    /// recent blocks where the node lacks that method), and the fee cap leaves room for the base fee to
    /// double, so the transaction stays valid for several full blocks.</summary>
    public async Task<FeeEstimate> EstimateFeesAsync(CancellationToken cancellationToken = default)
    {
        var history = await FeeHistoryAsync(5, BlockTag.Latest, [50], cancellationToken).ConfigureAwait(false);
        var nextBaseFee = history.BaseFeePerGas.Count > 0 ? history.BaseFeePerGas[^1] : await GasPriceAsync(cancellationToken).ConfigureAwait(false);
        BigInteger tip;
        try
        {
            tip = await MaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            var tips = history.Reward.Select(r => r.Count > 0 ? r[0] : BigInteger.Zero).Order().ToList();
            tip = tips.Count > 0 ? tips[tips.Count / 2] : BigInteger.Zero;
        }
        return new FeeEstimate(nextBaseFee, tip, 2 * nextBaseFee + tip);
    }

    public async Task<ulong> EstimateGasAsync(CallRequest request, CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await RequestAsync("eth_estimateGas", [request.ToJson()], cancellationToken).ConfigureAwait(false), "eth_estimateGas");

    /// <summary>Runs a call without a transaction; a revert throws <see cref="RpcException"/> with <see cref="RpcException.Revert"/>.</summary>
    public async Task<byte[]> CallAsync(CallRequest request, string block = BlockTag.Latest, CancellationToken cancellationToken = default) =>
        Bytes(await RequestAsync("eth_call", [request.ToJson(), block], cancellationToken).ConfigureAwait(false), "eth_call");

    /// <summary>The storage slots and accounts the call touches, and the gas it uses with them pre-warmed (EIP-2930).</summary>
    public async Task<AccessListResult> CreateAccessListAsync(CallRequest request, string block = BlockTag.Latest, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_createAccessList", [request.ToJson(), block], cancellationToken).ConfigureAwait(false);
        if (result.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            throw new RpcException("eth_createAccessList", 3, error.GetString()!, null, null);
        var list = result.GetProperty("accessList").EnumerateArray().Select(entry => new Transactions.AccessListEntry(
            EthereumAddress.Parse(entry.GetProperty("address").GetString()!),
            [.. entry.GetProperty("storageKeys").EnumerateArray().Select(k => Hex.DecodeFixed(k.GetString()!, 32))])).ToList();
        return new AccessListResult(list, Quantity.ParseUInt64(result.GetProperty("gasUsed"), "eth_createAccessList gasUsed"));
    }

    /// <summary>Broadcasts a signed transaction; returns its hash.</summary>
    public async Task<byte[]> SendRawTransactionAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default) =>
        Bytes(await RequestAsync("eth_sendRawTransaction", [Hex.Encode(raw.Span)], cancellationToken).ConfigureAwait(false), "eth_sendRawTransaction");

    /// <summary>The receipt, or null while the transaction is not mined.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(ReadOnlyMemory<byte> transactionHash, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getTransactionReceipt", [Hex.Encode(transactionHash.Span)], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : TransactionReceipt.FromJson(result);
    }

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getLogs", [filter.ToJson()], cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(LogEntry.FromJson)];
    }

    internal static byte[] Bytes(JsonElement element, string what)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (text is null || !Hex.HasPrefix(text))
            throw new RpcTransportException($"Expected {what} to return 0x-prefixed hex, got {element.ValueKind}.");
        return Hex.Decode(text);
    }
}

/// <summary>Block parameters: a tag or a block number.</summary>
public static class BlockTag
{
    public const string Latest = "latest";
    public const string Pending = "pending";
    public const string Earliest = "earliest";
    public const string Safe = "safe";
    public const string Finalized = "finalized";

    public static string Number(ulong block) => Quantity.Encode(block);
}
