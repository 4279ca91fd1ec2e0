using System.Numerics;
using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>Test-node helpers that anvil (and mostly hardhat) answer; no production node does.</summary>
public static class AnvilRpcExtensions
{
    /// <summary>Mines <paramref name="blocks"/> blocks now, including whatever the pool holds.</summary>
    public static async Task MineAsync(this EthereumRpcClient client, ulong blocks = 1, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("anvil_mine", [Quantity.Encode(blocks)], cancellationToken).ConfigureAwait(false);

    public static async Task SetAutomineAsync(this EthereumRpcClient client, bool enabled, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("evm_setAutomine", [enabled], cancellationToken).ConfigureAwait(false);

    public static async Task SetBalanceAsync(this EthereumRpcClient client, EthereumAddress address, BigInteger wei, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("anvil_setBalance", [Hex.Encode(address.Bytes), Quantity.Encode(wei)], cancellationToken).ConfigureAwait(false);

    /// <summary>Saves the chain state; returns the id that <see cref="RevertToSnapshotAsync"/> takes.</summary>
    public static async Task<string> SnapshotAsync(this EthereumRpcClient client, CancellationToken cancellationToken = default) =>
        (await client.RequestAsync("evm_snapshot", [], cancellationToken).ConfigureAwait(false)).ToString();

    public static async Task<bool> RevertToSnapshotAsync(this EthereumRpcClient client, string snapshotId, CancellationToken cancellationToken = default)
    {
        var result = await client.RequestAsync("evm_revert", [snapshotId], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.True;
    }

    /// <summary>Replaces the last <paramref name="depth"/> blocks with new, empty ones (the chain keeps its height): the
    /// transactions of the replaced blocks are gone from the chain and from the pool.</summary>
    public static async Task ReorgAsync(this EthereumRpcClient client, ulong depth, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("anvil_reorg", [depth, new System.Text.Json.Nodes.JsonArray()], cancellationToken).ConfigureAwait(false);

    /// <summary>Like <see cref="ReorgAsync(EthereumRpcClient, ulong, CancellationToken)"/>, but the new blocks include the given
    /// signed transactions, each in the block at its offset (0 = the first new block).</summary>
    public static async Task ReorgAsync(this EthereumRpcClient client, ulong depth, IReadOnlyList<(byte[] RawTransaction, ulong BlockOffset)> include, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("anvil_reorg",
            [depth, new System.Text.Json.Nodes.JsonArray([.. include.Select(t => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(Hex.Encode(t.RawTransaction), t.BlockOffset))])],
            cancellationToken).ConfigureAwait(false);

    /// <summary>Removes a pending transaction from the pool (with automine off), e.g. to simulate a lost broadcast.</summary>
    public static async Task DropTransactionAsync(this EthereumRpcClient client, ReadOnlyMemory<byte> transactionHash, CancellationToken cancellationToken = default) =>
        await client.RequestAsync("anvil_dropTransaction", [Hex.Encode(transactionHash.Span)], cancellationToken).ConfigureAwait(false);
}
