using System.Diagnostics;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Messaging;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore.Sqlite;
using Federated.Worker;
using MassTransit;

namespace Federated.Cli.Embedded;

/// <summary>Outcome of a run on the embedded default, as the summary prints it.</summary>
public sealed record RunOutcome(
    string RunId, string Status, int Rounds, int Workers, int AcceptedUpdates, int RejectedUpdates, long EventsWritten,
    float InitialValidationLoss, float FinalValidationLoss, string FinalModelHash, string Model, string DataDirectory,
    string Checkpoint, double ElapsedSeconds, string? FailureReason);

/// <summary>
/// The embedded default deployment: SQLite event store, directory blob store, MassTransit's in-memory
/// transport, one coordinator and N workers in this process. Same coordinator and worker code as the
/// distributed deployment; only the transport and store differ.
/// </summary>
public static class EmbeddedRun
{
    public static async Task<RunOutcome> ExecuteAsync(
        RunSpec spec, string? specDirectory, DataDirectory data, int workers, IProgress<RoundReport>? progress, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(data.Root);
        using var store = new SqliteEventStore(data.EventsDb);
        var blobs = new DirectoryBlobStore(data.Blobs);
        IBusControl? bus = null;
        var coordinator = new RunCoordinator(store, blobs, new BusWorkDispatcher(() => bus!), TimeProvider.System);
        var workerIds = Enumerable.Range(1, workers).Select(i => $"worker-{i}").ToList();
        var threadsPerWorker = Math.Max(1, Environment.ProcessorCount / workers);

        bus = Bus.Factory.CreateUsingInMemory(cfg =>
        {
            cfg.ReceiveEndpoint(CoordinatorEndpoint.QueueName, e => CoordinatorEndpoint.Configure(e, coordinator));
            foreach (var id in workerIds)
            {
                var worker = new ShardWorker(id, blobs, threadsPerWorker);
                cfg.ReceiveEndpoint(WorkerEndpoint.QueueNameFor(id), e => WorkerEndpoint.Configure(e, worker));
            }
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            var runId = await coordinator.LaunchAsync(spec, specDirectory: specDirectory, cancellationToken: cancellationToken);
            log.WriteLine($"run {runId}: {spec.Rounds} rounds, {workers} workers, {spec.ShardsPerRound} shards per round, data in {data.Root}");
            foreach (var id in workerIds)
                await bus.Publish(new WorkerAvailable { WorkerId = id, Threads = threadsPerWorker, Endpoint = WorkerEndpoint.AddressFor(id) }, cancellationToken);

            var state = await coordinator.DriveAsync(runId, progress, cancellationToken);
            var checkpoint = await WriteCheckpointAsync(blobs, data, runId, state.CurrentModelHash, cancellationToken);
            var finalLoss = state.History.Count > 0 ? state.History[^1].Metrics.ValidationLoss : state.InitialValidationLoss;
            return new RunOutcome(runId, state.Status.ToString().ToLowerInvariant(), state.LastAggregatedRound, workers,
                state.AcceptedUpdates, state.RejectedUpdates, await CountEventsAsync(store, runId, cancellationToken),
                state.InitialValidationLoss, finalLoss, state.CurrentModelHash, RunCoordinator.CreateModel(spec.Model).Describe(),
                data.Root, checkpoint, clock.Elapsed.TotalSeconds, state.FailureReason);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<long> CountEventsAsync(SqliteEventStore store, string runId, CancellationToken cancellationToken) =>
        await store.GetStreamVersionAsync(RunEvents.StreamOf(runId), cancellationToken) + 1;

    /// <summary>Copies the final model out of the blob store under a readable name.</summary>
    private static async Task<string> WriteCheckpointAsync(IBlobStore blobs, DataDirectory data, string runId, string modelHash, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(data.Checkpoints, runId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "final.fedp");
        await File.WriteAllBytesAsync(path, await blobs.GetAsync(BlobHash.Parse(modelHash), cancellationToken), cancellationToken);
        return path;
    }
}
