using Federated.Chain;
using Federated.Chain.Rpc;
using Federated.EventStore;
using Federated.Rewards;

namespace Federated.Cli.Embedded;

/// <param name="Chain">Where the on-chain commitments were read, or null when the data directory has no chain.</param>
/// <param name="Problem">Why the chain could not be read, if it could not.</param>
/// <param name="Unpaid">Aggregated rounds with no payout in the log (a run without a chain): reported, not a failure.</param>
internal sealed record CommitmentReport(string? Chain, IReadOnlyList<CommitmentCheck> Checks, string? Problem, IReadOnlyList<string>? Unpaid = null)
{
    public bool Ok => Problem is null && Checks.All(c => c.Ok);
}

/// <summary>
/// The payout part of `fed verify`: every payout's commitment re-derived from the log, and, when the data directory has
/// an embedded chain (chain/chain.json), compared with commitmentOf on that chain, read from a private anvil started
/// from the saved chain state (and stopped without writing it back).
/// </summary>
internal static class ChainCommitmentCheck
{
    /// <param name="external">A chain to read the commitments from instead of the data directory's embedded chain.</param>
    public static async Task<CommitmentReport> RunAsync(DataDirectory data, IEventStoreReader store, ExternalChain? external, CancellationToken cancellationToken)
    {
        var report = external is null ? await CheckAsync(data, store, cancellationToken) : await CheckExternalAsync(external, store, cancellationToken);
        var unpaid = await CommitmentVerifier.UnpaidRoundsAsync(store, cancellationToken);
        return report with { Unpaid = [.. unpaid.Select(u => $"{u.RunId} round {u.Round}")] };
    }

    private static async Task<CommitmentReport> CheckAsync(DataDirectory data, IEventStoreReader store, CancellationToken cancellationToken)
    {
        EmbeddedChainConfig? config;
        try { config = EmbeddedChainConfig.Load(data); }
        catch (InvalidOperationException e) { return new CommitmentReport(null, [], e.Message); }
        if (config is null) return new CommitmentReport(null, await CommitmentVerifier.VerifyAsync(store, null, cancellationToken: cancellationToken), null);
        var state = EmbeddedChainConfig.StateFile(data);
        if (!File.Exists(state)) return new CommitmentReport(null, [], $"the chain state {state} is missing, so the on-chain commitments cannot be read");
        try
        {
            await using var node = await AnvilNode.StartAsync(state, saveOnStop: false, cancellationToken);
            var distributor = new RewardDistributorContract(node.Client, EthereumAddress.Parse(config.Distributor));
            var checks = await CommitmentVerifier.VerifyAsync(store, distributor, cancellationToken: cancellationToken);
            return new CommitmentReport($"RewardDistributor {distributor.Address} on chain {config.ChainId} (from {state})", checks, null);
        }
        catch (Exception e) when (e is InvalidOperationException or RpcException or RpcTransportException)
        {
            return new CommitmentReport(null, [], $"the embedded chain could not be read: {e.Message}");
        }
    }

    private static async Task<CommitmentReport> CheckExternalAsync(ExternalChain external, IEventStoreReader store, CancellationToken cancellationToken)
    {
        using var client = new EthereumRpcClient(external.Rpc, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
        try
        {
            var chainId = await client.ChainIdAsync(cancellationToken);
            var distributor = new RewardDistributorContract(client, external.Distributor);
            var checks = await CommitmentVerifier.VerifyAsync(store, distributor, cancellationToken: cancellationToken);
            return new CommitmentReport($"RewardDistributor {distributor.Address} on chain {chainId} ({external.Rpc})", checks, null);
        }
        catch (Exception e) when (e is InvalidOperationException or RpcException or RpcTransportException or HttpRequestException)
        {
            return new CommitmentReport(null, [], $"the chain at {external.Rpc} could not be read: {e.Message}");
        }
    }

    public static void Print(CommitmentReport report, TextWriter w)
    {
        if (report.Problem is not null) w.WriteLine($"FAILED: {report.Problem}");
        if (report.Unpaid is { Count: > 0 } unpaid)
            w.WriteLine($"note: {unpaid.Count} aggregated round(s) have no payout in the log (run without a chain?): {string.Join(", ", unpaid.Take(5))}{(unpaid.Count > 5 ? ", ..." : "")}");
        if (report.Checks.Count == 0) return;
        var failed = report.Checks.Where(c => !c.Ok).ToList();
        foreach (var c in failed) w.WriteLine($"FAILED: payout of round {c.Round} of run {c.RunId}: {c.Problem}");
        if (failed.Count > 0) return;
        w.WriteLine(report.Chain is null
            ? $"ok: {report.Checks.Count} payout commitment(s) re-derived from the log (no chain configured to compare with)"
            : $"ok: {report.Checks.Count} payout commitment(s) re-derived from the log and equal to commitmentOf on {report.Chain}");
    }
}

/// <summary>A chain named on the command line (`fed verify --chain-rpc --distributor`): where a distributed coordinator paid.</summary>
internal sealed record ExternalChain(Uri Rpc, EthereumAddress Distributor)
{
    /// <summary>Null when neither is given.</summary>
    /// <exception cref="ArgumentException">Only one is given, or one is malformed; the message says which.</exception>
    public static ExternalChain? From(string? rpc, string? distributor)
    {
        if (string.IsNullOrWhiteSpace(rpc) && string.IsNullOrWhiteSpace(distributor)) return null;
        if (string.IsNullOrWhiteSpace(rpc) || string.IsNullOrWhiteSpace(distributor))
            throw new ArgumentException("--chain-rpc and --distributor go together: give both or neither");
        if (!Uri.TryCreate(rpc, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"bad chain RPC '{rpc}': expected http://host:port");
        if (!EthereumAddress.TryParse(distributor, out var address) || address is null)
            throw new ArgumentException($"bad distributor address '{distributor}': expected 0x and 40 hex digits");
        return new ExternalChain(uri, address);
    }
}
