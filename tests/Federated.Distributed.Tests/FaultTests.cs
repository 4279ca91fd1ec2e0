using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>
/// Faults in the middle of a run: each test breaks one component (kill -9 a worker or the coordinator, restart the
/// broker or the database) and asserts the run still completes with every accepted update exactly once in the log.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FaultTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);
    /// <summary>Rounds for the restart tests: enough that the run is still going when the server comes back.</summary>
    private const int LongerRun = 4;

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_shard_loses_its_lease_and_the_run_completes()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        var doomed = await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(leaseSeconds: 6));

        await doomed.WaitForOutputAsync(l => l.Contains("training shard", StringComparison.Ordinal) && l.Contains("of round 2 ", StringComparison.Ordinal), RunTimeout);
        doomed.Kill();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.Contains(log.Of<ShardLeaseExpired>(), e => e.WorkerId == "w1" && e.Round == 2);
        // The task w1 died with had been acknowledged when it arrived (its training was tracked by the lease), so the
        // broker holds nothing for w1 to redeliver; a consumer that trained before acknowledging would leave it there.
        Assert.Equal(0, (await d.QueueDepthsAsync()).GetValueOrDefault("fed-worker-w1", -1));
    }

    [Fact]
    public async Task A_coordinator_killed_in_the_middle_of_a_round_resumes_the_run_after_a_restart()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        // This time the run comes from the coordinator's own --run option rather than from fed launch.
        var first = await d.StartCoordinatorAsync(run: TestSpecs.Small());
        await first.WaitForOutputAsync("launched run", TimeSpan.FromSeconds(60));
        var runId = Deployment.RunIdIn(first.Output) ?? throw new InvalidOperationException($"no run id in:\n{first.Output}");

        await d.Log.WaitUntilAsync(runId, l => l.State.OpenRound is { Round: >= 2 } round && !round.Leases.IsEmpty, RunTimeout, d.Logs);
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var second = await d.StartCoordinatorAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.Contains($"resumed run {runId}", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_crashed_and_restarted_in_the_middle_of_a_run_is_reconnected_to_and_the_run_completes()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: LongerRun));

        await d.Log.WaitUntilAsync(runId, l => l.State.LastAggregatedRound >= 1, RunTimeout, d.Logs);
        // kill -9 rather than a clean stop: `rabbitmqctl stop` takes seconds in which a small run can finish, and a
        // crash is the harder case (only what the broker confirmed to a publisher survives it).
        await cluster.Broker.KillAsync();
        var atFault = await d.Log.ReadAsync(runId);
        await cluster.Broker.StartAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        Assert.Equal(RunStatus.Running, atFault.State.Status);
        RunLogAssert.CompletedWithEachUpdateOnce(log, LongerRun, TestSpecs.ShardsPerRound);
    }

    [Fact]
    public async Task A_database_restarted_in_the_middle_of_a_run_is_reconnected_to_and_the_run_completes()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: LongerRun));

        var atFault = await d.Log.WaitUntilAsync(runId, l => l.State.LastAggregatedRound >= 1, RunTimeout, d.Logs);
        await cluster.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.Postgres.StartAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        Assert.Equal(RunStatus.Running, atFault.State.Status);
        RunLogAssert.CompletedWithEachUpdateOnce(log, LongerRun, TestSpecs.ShardsPerRound);
    }
}
