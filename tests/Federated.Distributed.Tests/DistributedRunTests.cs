using System.Text.Json.Nodes;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>A run across real processes: `fed coordinator`, `fed worker` x2 and `fed launch`, over RabbitMQ and PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedRunTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_run_launched_on_separate_processes_completes_and_counts_each_update_once()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        var coordinator = await d.StartCoordinatorAsync();
        var w1 = await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");

        var launched = await d.LaunchAndWaitAsync(TestSpecs.Small());

        Assert.True(launched.Succeeded, $"fed launch --wait exited with {launched.ExitCode}:\n{launched.Output}\n{d.Logs()}");
        var summary = JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!;
        var runId = (string)summary["runId"]!;
        Assert.Equal(("completed", TestSpecs.Rounds), ((string)summary["status"]!, (int)summary["rounds"]!));
        var log = await d.Log.ReadAsync(runId);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.Equal(["w1", "w2"], log.Of<UpdateAccepted>().Select(a => a.WorkerId).Distinct().Order().ToArray());

        // SIGTERM: both stop cleanly, with exit code 0.
        await w1.StopAsync(TimeSpan.FromSeconds(30));
        await coordinator.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((0, 0), (w1.ExitCode, coordinator.ExitCode));
        Assert.Contains("worker w1 stopped", w1.Output, StringComparison.Ordinal);
        Assert.Contains("coordinator stopped", coordinator.Output, StringComparison.Ordinal);
    }
}
