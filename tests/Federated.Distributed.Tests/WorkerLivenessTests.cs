using System.Diagnostics;
using System.Text.Json.Nodes;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>
/// Workers that stop serving are noticed: a worker whose bus broke in a broker outage resumes consuming or exits
/// non-zero (it never announces itself with nobody consuming its queue); a dead worker left in the coordinator's
/// address book is not leased first in a new run; a worker that keeps letting its leases expire stops getting them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerLivenessTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task After_a_20_second_broker_outage_every_worker_consumes_its_queue_again_or_exits_non_zero()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        string[] ids = ["w1", "w2"];
        var workers = new List<Testing.LocalProcess>();
        foreach (var id in ids) workers.Add(await d.StartWorkerAsync(id));

        // A clean broker stop (what an operator's restart does) is the outage that left a receive endpoint dead while
        // its bus kept publishing: the worker went on announcing itself with zero consumers on its queue.
        await cluster.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await cluster.Broker.StartAsync();
        // Time for the bus to reconnect by itself, or for the worker to notice and restart it.
        await Task.Delay(TimeSpan.FromSeconds(15));
        var back = DateTimeOffset.UtcNow;

        var runId = await d.LaunchAsync(TestSpecs.Small());
        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        var consumers = await d.QueueConsumersAsync();
        foreach (var (id, process) in ids.Zip(workers))
        {
            if (process.HasExited)
            {
                Assert.True(process.ExitCode != 0, $"worker {id} exited with 0 after the outage:\n{process.Tail()}");
                continue;
            }
            Assert.True(consumers.GetValueOrDefault(WorkerQueue(id)) >= 1,
                $"worker {id} is running but nothing consumes {WorkerQueue(id)} ({consumers.GetValueOrDefault(WorkerQueue(id))} consumers):\n{d.Logs()}");
            // And it served the run: every lease it was given was trained and accepted, none ran out.
            Assert.DoesNotContain(log.Of<ShardLeaseExpired>(), e => e.WorkerId == id);
            Assert.Contains(log.Of<UpdateAccepted>(), a => a.WorkerId == id && a.AcceptedAt > back);
        }
    }

    [Fact]
    public async Task A_worker_that_cannot_serve_within_its_recovery_time_exits_non_zero_naming_its_queue()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        var worker = await d.StartWorkerAsync("w1", extraArguments: ["--recover-seconds", "6"]);
        await cluster.Broker.StopAsync();
        try
        {
            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the worker still runs 60 s into the outage:\n{worker.Tail()}");
            Assert.Equal(1, worker.ExitCode);
            Assert.Contains("could not serve its queue fed-worker-w1", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.Broker.StartAsync();
        }
    }

    [Fact]
    public async Task A_worker_killed_before_a_new_run_is_forgotten_and_round_one_takes_the_normal_time()
    {
        const int leaseSeconds = 20;
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        // "a-dead" sorts first: the address book used to hand it the first shard of every round.
        var doomed = await d.StartWorkerAsync("a-dead");
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        await Task.Delay(TimeSpan.FromSeconds(2));
        doomed.Kill();
        // Past the coordinator's default worker timeout (30 s, three of a default worker's heartbeats).
        await Task.Delay(TimeSpan.FromSeconds(33));

        var runId = await d.LaunchAsync(TestSpecs.Small(leaseSeconds: leaseSeconds));
        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);

        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.DoesNotContain(log.Of<ShardLeased>(), l => l.WorkerId == "a-dead");
        var first = log.Of<RoundAggregated>().Single(r => r.Round == 1);
        Assert.True(first.Metrics.ElapsedSeconds < leaseSeconds,
            $"round 1 took {first.Metrics.ElapsedSeconds:F1} s, as long as a lease ({leaseSeconds} s): a dead worker was waited for\n{d.Logs()}");
    }

    [Fact]
    public async Task A_worker_that_keeps_letting_its_leases_run_out_stops_getting_leases()
    {
        const int rounds = 4;
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        // A signed worker that announces itself every second and takes every task, but never trains one.
        await using var rogue = await RogueWorker.StartAsync(d.Broker, "a-rogue");

        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: rounds, leaseSeconds: 6));
        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);

        RunLogAssert.CompletedWithEachUpdateOnce(log, rounds, TestSpecs.ShardsPerRound);
        Assert.True(rogue.TasksTaken > 0, "the rogue worker was never leased anything: the test proves nothing");
        // Benched after two leases in a row ran out (the default): announcing itself every second did not get it more.
        var expired = log.Of<ShardLeaseExpired>().Count(e => e.WorkerId == "a-rogue");
        Assert.True(expired <= 2, $"the rogue worker let {expired} leases run out in {rounds} rounds\n{d.Logs()}");
    }

    private static string WorkerQueue(string workerId) => $"fed-worker-{workerId}";
}
