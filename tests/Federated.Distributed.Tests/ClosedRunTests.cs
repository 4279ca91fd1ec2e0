using Federated.Contracts;
using Federated.Coordinator.Messaging;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.Messaging;
using MassTransit;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>A completed run's stream stays closed: forgeries published on the broker after RunCompleted, to the
/// coordinator that drove the run, go to coordinator-late or are refused, and the run's stream version does not move.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClosedRunTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);
    private const int ForgedUpdates = 40;

    [Fact]
    public async Task Forged_messages_published_after_RunCompleted_leave_the_runs_stream_version_unchanged()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: 1));
        var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
        var accepted = log.Of<UpdateAccepted>().First();
        var version = await StreamVersionAsync(d.Store, runId);

        var settings = BusSettings.Parse(d.Broker);
        var bus = FederatedBus.Create(settings);
        await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30));
        var stops = new List<RunStopAnswered>();
        try
        {
            var coordinator = await bus.GetSendEndpoint(new Uri($"queue:{CoordinatorEndpoint.QueueName}"));
            for (var i = 0; i < ForgedUpdates; i++)
                await coordinator.Send(new ShardTrained
                {
                    RunId = runId, Round = 1, ShardId = accepted.ShardId, LeaseId = $"forged-{i}", WorkerId = accepted.WorkerId,
                    UpdateHash = accepted.UpdateHash, Tokens = 100_000, TrainLoss = 0.1f,
                });
            for (var i = 0; i < 5; i++)
                await coordinator.Send(new WorkerAvailable { WorkerId = accepted.WorkerId, Endpoint = "queue:evil" });
            var stop = bus.CreateRequestClient<StopRunRequested>(new Uri($"queue:{CoordinatorEndpoint.QueueName}"), RequestTimeout.After(s: 60));
            for (var i = 0; i < 5; i++)
                stops.Add((await stop.GetResponse<RunStopAnswered>(new StopRunRequested { RequestId = $"stop-{i}", RunId = runId, Reason = "forged" })).Message);
        }
        finally
        {
            await bus.StopAsync();
        }
        // Every forged update has been handled once all of them are on record as late.
        await WaitForLateAsync(d, runId, ForgedUpdates);

        Assert.All(stops, s => Assert.StartsWith("refused: unsigned: ", s.Error));
        Assert.Equal(version, await StreamVersionAsync(d.Store, runId));
    }

    private static async Task<long> StreamVersionAsync(string connectionString, string runId)
    {
        await using var store = await PostgresEventStore.OpenAsync(connectionString);
        return await store.GetStreamVersionAsync(RunEvents.StreamOf(runId));
    }

    private static async Task WaitForLateAsync(Deployment d, string runId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using (var store = await PostgresEventStore.OpenAsync(d.Store))
                if ((await LateMessageLog.ReadAsync(store)).Count(l => l.RunId == runId && l.LeaseId.StartsWith("forged-", StringComparison.Ordinal)) >= count) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the coordinator did not record {count} late updates for run {runId} within 60 s\n{d.Logs()}");
            await Task.Delay(250);
        }
    }
}
