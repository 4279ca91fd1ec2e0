using Federated.Distributed.Tests;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Containers.Tests;

/// <summary>
/// The distributed fault cases (Federated.Distributed.Tests.FaultTests) on containers: `docker kill` of a worker or of the
/// coordinator container mid-round, `docker stop` of a worker mid-shard, `docker restart` of the RabbitMQ and of the
/// PostgreSQL container mid-run. Each run still completes with every accepted update exactly once.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed partial class ContainerFaultTests(ContainerCluster cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(240);
    /// <summary>Rounds for the restart tests: enough that the run is still going when the server comes back.</summary>
    private const int LongerRun = 4;
    /// <summary>Long enough that a handed-back lease ends long before its deadline. Known race (seen in 2 of 3 runs here): the
    /// coordinator can lease the handed-back shard to the leaving worker again a few ms before its WorkerLeft, and WorkerLeft
    /// does not end that lease, so the shard waits this long; the test prints it when it happens.</summary>
    private const int HandBackLeaseSeconds = 90;

    [Fact]
    public async Task A_worker_container_killed_in_the_middle_of_a_shard_loses_its_lease_and_the_run_completes()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        var doomed = await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(leaseSeconds: 6));

        await doomed.WaitForLogAsync(l => l.Contains("training shard", StringComparison.Ordinal) && l.Contains("of round 2 ", StringComparison.Ordinal),
            RunTimeout, "training a shard of round 2");
        await doomed.KillAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        // A shard trains in about a second, so the kill may land after w1 finished its round-2 shard and took one of round 3:
        // whichever leases it died holding ran out, and each of those shards was trained again by w2, as was every later round.
        var lost = log.Of<ShardLeaseExpired>().Where(e => e.WorkerId == "w1" && e.Round >= 2).ToList();
        Assert.NotEmpty(lost);
        foreach (var l in lost)
            Assert.Contains(log.Of<UpdateAccepted>(), a => a.Round == l.Round && a.ShardId == l.ShardId && a.WorkerId == "w2");
        Assert.All(log.Of<UpdateAccepted>().Where(a => a.Round > lost.Max(l => l.Round)), a => Assert.Equal("w2", a.WorkerId));
    }

    [Fact]
    public async Task A_coordinator_container_killed_in_the_middle_of_a_round_resumes_the_run_in_a_new_container()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        var first = await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small());

        await d.Log.WaitUntilAsync(runId, l => l.State.OpenRound is { Round: >= 2 } round && !round.Leases.IsEmpty, RunTimeout, d.Logs);
        await first.KillAsync();
        // A new container on the same store and the same data folder (the host folder mounted at /data).
        var second = await d.StartCoordinatorAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.Contains($"resumed run {runId}", await second.LogsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_container_stopped_in_the_middle_of_a_shard_hands_it_back_and_exits_0()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        var leaving = await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        // Shards of 300 steps (5x the usual): the stop lands while w1 still trains, not after it sent its update.
        var spec = TestSpecs.Small(leaseSeconds: HandBackLeaseSeconds, rounds: 2);
        spec["localSteps"] = 300;
        var runId = await d.LaunchAsync(spec);

        var training = await leaving.WaitForLogAsync(l => l.Contains("training shard", StringComparison.Ordinal) && l.Contains("of round 1 ", StringComparison.Ordinal),
            RunTimeout, "training a shard of round 1");
        var leaseId = LeaseInLine().Match(training).Groups[1].Value;
        // docker stop: SIGTERM, SIGKILL only after 30 s.
        (await DockerHost.Cli(["stop", "-t", "30", leaving.Id], TimeSpan.FromSeconds(90))).EnsureSuccess();

        Assert.Equal(0, await leaving.ExitCodeAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("worker w1 stopped", await leaving.LogsAsync(), StringComparison.Ordinal);
        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout,
            () => d.Logs() + "\n" + string.Join("\n", d.Log.ReadAsync(runId).GetAwaiter().GetResult().Events.Select(e => e.ToString())));
        RunLogAssert.CompletedWithEachUpdateOnce(log, 2, TestSpecs.ShardsPerRound);
        Assert.Contains(log.Of<WorkerLeft>(), e => e.WorkerId == "w1");
        Assert.DoesNotContain(log.Of<UpdateAccepted>(), a => a.LeaseId == leaseId);
        // Handed back: the lease w1 was training on ended long before its deadline (a lease that simply runs out ends after it).
        var lease = Assert.Single(log.Of<ShardLeased>(), l => l.LeaseId == leaseId);
        var ended = Assert.Single(log.Of<ShardLeaseExpired>(), e => e.LeaseId == leaseId);
        // A shard leased to w1 between its hand-back and its WorkerLeft ends with the WorkerLeft, not at its deadline.
        var left = log.Of<WorkerLeft>().First(e => e.WorkerId == "w1").LeftAt;
        foreach (var later in log.Of<ShardLeased>().Where(l => l.WorkerId == "w1" && l.LeasedAt > lease.LeasedAt))
        {
            var laterEnd = log.Of<ShardLeaseExpired>().FirstOrDefault(e => e.LeaseId == later.LeaseId)?.ExpiredAt;
            output.WriteLine($"after the stop, w1 was leased shard {later.ShardId} of round {later.Round} at {later.LeasedAt:O} (ended {laterEnd:O}); WorkerLeft at {left:O}");
            Assert.True(laterEnd is { } end && end <= left, $"lease {later.LeaseId} given to w1 at {later.LeasedAt:O} ended at {laterEnd:O}, after w1 left at {left:O}");
        }
        Assert.True(ended.ExpiredAt < lease.ExpiresAt - TimeSpan.FromSeconds(HandBackLeaseSeconds / 2),
            $"lease {leaseId} ended at {ended.ExpiredAt:O}, its deadline was {lease.ExpiresAt:O}: it ran out instead of being handed back");
    }

    [Fact]
    public async Task A_broker_container_restarted_in_the_middle_of_a_run_is_reconnected_to_and_the_run_completes()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: LongerRun));

        await d.Log.WaitUntilAsync(runId, l => l.State.LastAggregatedRound >= 1, RunTimeout, d.Logs);
        await cluster.Broker.RestartAsync();
        var afterRestart = await d.Log.ReadAsync(runId);

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        Assert.Equal(RunStatus.Running, afterRestart.State.Status);
        RunLogAssert.CompletedWithEachUpdateOnce(log, LongerRun, TestSpecs.ShardsPerRound);
    }

    [Fact]
    public async Task A_database_container_restarted_in_the_middle_of_a_run_is_reconnected_to_and_the_run_completes()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: LongerRun));

        var atFault = await d.Log.WaitUntilAsync(runId, l => l.State.LastAggregatedRound >= 1, RunTimeout, d.Logs);
        await cluster.Postgres.RestartAsync();

        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        Assert.Equal(RunStatus.Running, atFault.State.Status);
        RunLogAssert.CompletedWithEachUpdateOnce(log, LongerRun, TestSpecs.ShardsPerRound);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(lease ([0-9a-f]+)\)")]
    private static partial System.Text.RegularExpressions.Regex LeaseInLine();
}
