using Federated.Chain;
using Federated.Chain.Rpc;
using Federated.EventStore;
using Federated.Rewards;

namespace Federated.Cli.Embedded;

/// <param name="Chain">Where the on-chain commitments were read, or null when the data directory has no chain.</param>
/// <param name="Problem">Why the chain could not be read, if it could not.</param>
/// <param name="Unpaid">Aggregated rounds whose payout is not confirmed, reported but not a failure: every one when no
/// chain is configured (a run without a chain), else those aggregated less than the overdue delay ago (still being paid).</param>
/// <param name="Overdue">With a chain configured: rounds still unpaid longer than the overdue delay after aggregation. A failure.</param>
/// <param name="MissingFromLog">Rounds the chain shows paid (RoundPaid) that have no payout in the log. A failure.</param>
internal sealed record CommitmentReport(string? Chain, IReadOnlyList<CommitmentCheck> Checks, string? Problem, IReadOnlyList<string>? Unpaid = null)
{
    public bool ChainConfigured { get; init; }
    public IReadOnlyList<string> Overdue { get; init; } = [];
    public IReadOnlyList<string> MissingFromLog { get; init; } = [];
    public bool Ok => Problem is null && Checks.All(c => c.Ok) && Overdue.Count == 0 && MissingFromLog.Count == 0;
}

/// <summary>
/// The payout part of `fed verify`: every payout's commitment re-derived from the log, and, when the data directory has
/// an embedded chain (chain/chain.json), compared with commitmentOf on that chain, read from a private anvil started
/// from the saved chain state (and stopped without writing it back).
/// </summary>
internal static class ChainCommitmentCheck
{
    /// <param name="external">A chain to read the commitments from instead of the data directory's embedded chain.</param>
    /// <param name="overdue">With a chain configured, a round unpaid this long after its aggregation fails the check.</param>
    public static async Task<CommitmentReport> RunAsync(DataDirectory data, IEventStoreReader store, ExternalChain? external, TimeSpan overdue, CancellationToken cancellationToken)
    {
        var report = external is null ? await CheckAsync(data, store, cancellationToken) : await CheckExternalAsync(external, store, cancellationToken);
        var rounds = new UnpaidRounds();
        await rounds.CatchUpAsync(store, cancellationToken);
        var unpaid = rounds.All();
        if (!report.ChainConfigured) return report with { Unpaid = [.. unpaid.Select(Describe)] };
        var late = rounds.Overdue(DateTimeOffset.UtcNow, overdue);
        return report with { Unpaid = [.. unpaid.Except(late).Select(Describe)], Overdue = [.. late.Select(Describe)] };
    }

    private static string Describe(UnpaidRound r) =>
        $"{r.RunId} round {r.Round} ({(r.Status == Domain.Payouts.PayoutStatus.None ? "no payout" : $"payout {r.Status.ToString().ToLowerInvariant()}")}" +
        $"{(r.LastFailure is null ? "" : $", last failure: {r.LastFailure}")}; aggregated {r.AggregatedAt:u})";

    private static async Task<CommitmentReport> CheckAsync(DataDirectory data, IEventStoreReader store, CancellationToken cancellationToken)
    {
        EmbeddedChainConfig? config;
        try { config = EmbeddedChainConfig.Load(data); }
        catch (InvalidOperationException e) { return new CommitmentReport(null, [], e.Message); }
        if (config is null) return new CommitmentReport(null, await CommitmentVerifier.VerifyAsync(store, null, cancellationToken: cancellationToken), null);
        var state = EmbeddedChainConfig.StateFile(data);
        if (!File.Exists(state)) return new CommitmentReport(null, [], $"the chain state {state} is missing, so the on-chain commitments cannot be read") { ChainConfigured = true };
        try
        {
            await using var node = await AnvilNode.StartAsync(state, saveOnStop: false, cancellationToken);
            var distributor = new RewardDistributorContract(node.Client, EthereumAddress.Parse(config.Distributor));
            var checks = await CommitmentVerifier.VerifyAsync(store, distributor, cancellationToken: cancellationToken);
            var missing = await ChainPaidRounds.MissingFromLogAsync(store, await ChainPaidRounds.ReadAsync(node.Client, distributor.Address, cancellationToken), cancellationToken);
            return new CommitmentReport($"RewardDistributor {distributor.Address} on chain {config.ChainId} (from {state})", checks, null)
            {
                ChainConfigured = true,
                MissingFromLog = missing,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or RpcException or RpcTransportException or TimeoutException)
        {
            return new CommitmentReport(null, [], $"the embedded chain could not be read: {e.Message}") { ChainConfigured = true };
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
            var missing = await ChainPaidRounds.MissingFromLogAsync(store, await ChainPaidRounds.ReadAsync(client, distributor.Address, cancellationToken), cancellationToken);
            return new CommitmentReport($"RewardDistributor {distributor.Address} on chain {chainId} ({external.Rpc})", checks, null)
            {
                ChainConfigured = true,
                MissingFromLog = missing,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or RpcException or RpcTransportException or HttpRequestException or TimeoutException)
        {
            return new CommitmentReport(null, [], $"the chain at {external.Rpc} could not be read: {e.Message}") { ChainConfigured = true };
        }
    }

    public static void Print(CommitmentReport report, TextWriter w)
    {
        if (report.Problem is not null) w.WriteLine($"FAILED: {report.Problem}");
        foreach (var missing in report.MissingFromLog)
            w.WriteLine($"FAILED: the chain shows a round paid that the log has no payout for (log emptied, truncated or replaced?): {missing}");
        if (report.Overdue.Count > 0)
            w.WriteLine($"FAILED: {report.Overdue.Count} aggregated round(s) are not paid although a chain is configured: {string.Join(", ", report.Overdue.Take(10))}{(report.Overdue.Count > 10 ? ", ..." : "")}");
        if (report.Unpaid is { Count: > 0 } unpaid)
            w.WriteLine(report.ChainConfigured
                ? $"note: {unpaid.Count} aggregated round(s) are not paid yet (aggregated within the overdue delay): {string.Join(", ", unpaid.Take(5))}{(unpaid.Count > 5 ? ", ..." : "")}"
                : $"note: {unpaid.Count} aggregated round(s) have no payout in the log (run without a chain?): {string.Join(", ", unpaid.Take(5))}{(unpaid.Count > 5 ? ", ..." : "")}");
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
