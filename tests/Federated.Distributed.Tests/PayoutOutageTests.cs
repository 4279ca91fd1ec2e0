using System.Globalization;
using System.Numerics;
using Federated.Chain;
using Federated.Chain.Rpc;
using Federated.Domain.Payouts;
using Federated.EventStore.Postgres;
using Federated.Rewards;
using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>
/// Payouts through outages, with real PostgreSQL, RabbitMQ and anvil: a database restart in the middle of a paid run
/// delays payouts but every round is still paid, exactly once; a chain that stays away leaves rounds unpaid, which the
/// coordinator reports (once as an outage, then as overdue rounds by name) and a SIGTERM still stops cleanly.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PayoutOutageTests(ClusterFixture cluster)
{
    private const string DeployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const int Rounds = 4;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    // Was skipped as a known bug (the payout stayed `Submitted` for good in 2 of 6 runs): when the restart cut the
    // append of the signed transaction's record, the nonce the lane had given out was lost, and the retry signed the
    // next one, which waited behind the gap (fixed in PayoutProcessor: the lane is resynchronised; the deterministic
    // case is PayoutRecoveryTests.A_step_stopped_after_taking_a_nonce_leaves_no_gap_in_the_lane_of_the_same_processor).
    [Fact]
    public async Task A_database_restarted_in_the_middle_of_a_paid_run_delays_payouts_but_every_round_is_paid_exactly_once()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await using var anvil = await ChainPayoutTests.StartAnvilAsync(d.Root);
        var (coordinator, distributor) = await StartPayingCoordinatorAsync(d, anvil);
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: Rounds));

        await d.Log.WaitUntilAsync(runId, l => l.State.LastAggregatedRound >= 1, RunTimeout, d.Logs);
        await cluster.Postgres.StopAsync();
        // Long enough for the payout subscription to poll (every 200 ms) into the outage more than once.
        await coordinator.WaitForOutputAsync("payouts waiting for the event store at", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Postgres.StartAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, Rounds, TestSpecs.ShardsPerRound);
        await using var store = await PostgresEventStore.OpenAsync(d.Store);
        var payouts = await ConfirmedPayoutsAsync(store, runId, coordinator);

        // Exactly once: one RoundPaid per round on chain, and every worker holds exactly what the log allocated it.
        var paidOnChain = await ChainPaidRounds.ReadAsync(anvil.Client, distributor.Address);
        Assert.Equal(payouts.Select(p => p.State.Allocation!.ChainRoundId.ToLowerInvariant()).Order(),
            paidOnChain.Select(p => p.ChainRoundId.ToLowerInvariant()).Order());
        foreach (var worker in new[] { "w1", "w2" })
        {
            var lines = payouts.SelectMany(p => p.State.Allocation!.Payouts).Where(l => l.WorkerId == worker).ToList();
            var owed = lines.Aggregate(BigInteger.Zero, (sum, l) => sum + BigInteger.Parse(l.Amount, CultureInfo.InvariantCulture));
            Assert.Equal(owed, await distributor.BalanceOfAsync(EthereumAddress.Parse(lines[0].Recipient)));
        }
        // One report per outage, not per retry: each "waiting" is closed by one "resumed" (a pooled connection broken by
        // the restart may cause a second, short outage, reported and closed the same way).
        var output = coordinator.Output;
        var waiting = Occurrences(output, "payouts waiting for the event store at").Count;
        Assert.InRange(waiting, 1, 3);
        Assert.Equal(waiting, Occurrences(output, "payouts resumed: the event store at").Count);

        await coordinator.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, coordinator.ExitCode);
        Assert.DoesNotContain("Unhandled exception", coordinator.Output, StringComparison.Ordinal);
        var verified = await d.RunFedAsync("verify", ["verify", "-d", Path.Combine(d.Root, "coordinator"), "--store", d.Store,
            "--chain-rpc", anvil.Rpc.ToString(), "--distributor", distributor.Address.ToChecksumString()], TimeSpan.FromMinutes(3));
        Assert.True(verified.Succeeded, $"fed verify exited with {verified.ExitCode}:\n{verified.Output}");
    }

    [Fact]
    public async Task A_chain_that_stays_away_is_reported_once_its_unpaid_rounds_are_named_as_overdue_and_SIGTERM_stops_cleanly()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await using var anvil = await ChainPayoutTests.StartAnvilAsync(d.Root);
        var (coordinator, _) = await StartPayingCoordinatorAsync(d, anvil, ["--payout-overdue-seconds", "2"]);
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: Rounds));

        await coordinator.WaitForOutputAsync($"chain: paid round 1 of run {runId}", RunTimeout);
        anvil.Process.Kill();
        await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        await coordinator.WaitForOutputAsync(l => l.Contains("PAYOUTS OVERDUE", StringComparison.Ordinal) && l.Contains($"run {runId} rounds", StringComparison.Ordinal)
            && l.Contains($"{Rounds}; payouts are waiting for the chain node at {anvil.Rpc}", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        // Repeated while the rounds stay unpaid (every second at a 2 s delay), while the outage itself is reported once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Occurrences(coordinator.Output, "PAYOUTS OVERDUE").Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(200);

        await coordinator.StopAsync(TimeSpan.FromSeconds(30));

        var output = coordinator.Output;
        Assert.True(Occurrences(output, "PAYOUTS OVERDUE").Count >= 3, output);
        Assert.Single(Occurrences(output, $"payouts waiting for the chain node at {anvil.Rpc}"));
        Assert.Equal(0, coordinator.ExitCode);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("payouts stopped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payout_that_fails_for_good_stops_payouts_loudly_and_the_coordinator_exits_non_zero_when_stopped()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await using var anvil = await ChainPayoutTests.StartAnvilAsync(d.Root);
        var (coordinator, distributor) = await StartPayingCoordinatorAsync(d, anvil);
        // The deployer is the distributor's admin: paused, payRound reverts, which the payout records as a failure for good.
        await distributor.PauseAsync(new Federated.Chain.Rpc.TransactionSender(anvil.Client, Convert.FromHexString(DeployerKey), 31337));
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: 1));

        await coordinator.WaitForOutputAsync($"error: payouts stopped and will not resume in this process: Payout of round 1 of run {runId} failed", RunTimeout);
        await coordinator.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, coordinator.ExitCode);
        Assert.Contains("error: payouts had stopped: Payout of round 1", coordinator.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", coordinator.Output, StringComparison.Ordinal);
    }

    private static async Task<(LocalProcess Coordinator, RewardDistributorContract Distributor)> StartPayingCoordinatorAsync(
        Deployment d, ChainPayoutTests.AnvilProcess anvil, string[]? extra = null)
    {
        var chainEnvironment = new Dictionary<string, string?> { ["FED_CHAIN_KEY"] = DeployerKey };
        var deployed = await d.RunFedAsync("chain-deploy", ["chain", "deploy", "--chain-rpc", anvil.Rpc.ToString()], environment: chainEnvironment);
        Assert.True(deployed.Succeeded, $"fed chain deploy exited with {deployed.ExitCode}:\n{deployed.Output}");
        var address = deployed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("0x", StringComparison.Ordinal));
        var coordinator = await d.StartCoordinatorAsync(extraArguments:
            ["--chain-rpc", anvil.Rpc.ToString(), "--chain-id", "31337", "--distributor", address, "--confirmations", "1", .. extra ?? []], environment: chainEnvironment);
        return (coordinator, new RewardDistributorContract(anvil.Client, EthereumAddress.Parse(address)));
    }

    private static async Task<List<PayoutRecord>> ConfirmedPayoutsAsync(PostgresEventStore store, string runId, LocalProcess coordinator)
    {
        // The subscription's backoff reaches 30 s between tries during the outage; a payout then settles in seconds.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            var payouts = (await PayoutCatalog.ListAsync(store)).Where(p => p.RunId == runId).OrderBy(p => p.Round).ToList();
            if (payouts.Count == Rounds && payouts.All(p => p.State.Status == PayoutStatus.Confirmed)) return payouts;
            if (DateTime.UtcNow > deadline || coordinator.HasExited)
                Assert.Fail($"expected {Rounds} confirmed payouts, found [{string.Join(", ", payouts.Select(p => $"round {p.Round}: {p.State.Status}"))}]\n{coordinator.Tail(60)}");
            await Task.Delay(250);
        }
    }

    private static List<int> Occurrences(string text, string part)
    {
        var found = new List<int>();
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) found.Add(i);
        return found;
    }
}
