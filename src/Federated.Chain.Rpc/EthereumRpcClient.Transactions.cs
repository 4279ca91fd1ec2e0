using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>What eth_getTransactionByHash tells about a transaction the node knows: its nonce, and its block once mined.</summary>
public sealed record TransactionLookup(byte[] Hash, EthereumAddress From, ulong Nonce, ulong? BlockNumber)
{
    public bool Pending => BlockNumber is null;
}

public sealed partial class EthereumRpcClient
{
    /// <summary>The transaction as the node knows it (mined, or waiting in its pool), or null when it knows nothing of it.</summary>
    public async Task<TransactionLookup?> GetTransactionByHashAsync(ReadOnlyMemory<byte> transactionHash, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getTransactionByHash", [Hex.Encode(transactionHash.Span)], cancellationToken).ConfigureAwait(false);
        if (result.ValueKind == JsonValueKind.Null)
            return null;
        var block = result.TryGetProperty("blockNumber", out var b) && b.ValueKind == JsonValueKind.String ? Quantity.ParseUInt64(b, "transaction blockNumber") : (ulong?)null;
        return new TransactionLookup(
            Hex.Decode(result.GetProperty("hash").GetString()!),
            EthereumAddress.Parse(result.GetProperty("from").GetString()!),
            Quantity.ParseUInt64(result.GetProperty("nonce"), "transaction nonce"),
            block);
    }
}
