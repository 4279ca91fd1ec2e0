using System.Diagnostics;
using Federated.Blobs;
using Federated.Coordinator.Messaging;
using Federated.Coordinator.Models;
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
    string Checkpoint, double ElapsedSeconds, string? FailureReason, IReadOnlyList<WorkerContribution> Contributions);

public sealed record WorkerContribution(string WorkerId, int AcceptedUpdates, long Tokens);

/// <summary>
/// The embedded default deployment: SQLite event store, directory blob store, MassTransit's in-memory
/// transport, one coordinator host and N worker hosts in this process. The same coordinator and worker
/// code runs in the distributed deployment; only the transport, store and blob access differ.
/// </summary>
public static class EmbeddedRun
{
    /// <param name="workerKeys">The workers' keys, in order; a worker without one gets a key derived from the run seed
    /// and its index, so a demo stays reproducible.</param>
    public static async Task<RunOutcome> ExecuteAsync(
        RunSpec spec, Coordinator.Data.DataRoot? dataRoot, DataDirectory data, int workers, IProgress<RoundReport>? progress, TextWriter log, CancellationToken cancellationToken,
        IReadOnlyList<byte[]>? workerKeys = null)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(data.Root);
        using var store = new SqliteEventStore(data.EventsDb);
        var blobs = new DirectoryBlobStore(data.Blobs);
        IBusControl? bus = null;
        var coordinator = new RunCoordinator(store, blobs, new BusWorkDispatcher(() => bus!), TimeProvider.System);
        await using var host = new CoordinatorHost(coordinator, store, progress);
        var threadsPerWorker = Math.Max(1, Environment.ProcessorCount / workers);
        var shardWorkers = Enumerable.Range(1, workers).Select(i => new ShardWorker($"worker-{i}", blobs, threadsPerWorker,
            new EthereumContributionSigner(workerKeys?.ElementAtOrDefault(i - 1) ?? Identity.WorkerKeys.Deterministic(spec.Seed, i)))).ToList();

        bus = Bus.Factory.CreateUsingInMemory(cfg =>
        {
            cfg.ReceiveEndpoint(CoordinatorEndpoint.QueueName, e => CoordinatorEndpoint.Configure(e, coordinator, host));
            foreach (var worker in shardWorkers)
                cfg.ReceiveEndpoint(WorkerEndpoint.QueueNameFor(worker.WorkerId), e => WorkerEndpoint.Configure(e, worker));
        });
        await bus.StartAsync(cancellationToken);
        var workerHosts = shardWorkers.Select(w => new WorkerHost(w, bus, TimeSpan.FromSeconds(10))).ToList();
        try
        {
            var runId = await host.LaunchAsync(spec, dataRoot, cancellationToken);
            log.WriteLine($"run {runId}: {spec.Rounds} rounds, {workers} workers, {spec.ShardsPerRound} shards per round, data in {data.Root}");
            foreach (var w in workerHosts) await w.StartAsync(cancellationToken);

            var state = await host.CompletionOf(runId).WaitAsync(cancellationToken);
            var checkpoint = await FinalCheckpoint.WriteAsync(blobs, data, runId, spec.Model, state.CurrentModelHash, cancellationToken);
            var finalLoss = state.History.Count > 0 ? state.History[^1].Metrics.ValidationLoss : state.InitialValidationLoss;
            var contributions = state.History.SelectMany(h => h.AggregatedUpdates)
                .GroupBy(u => u.WorkerId).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new WorkerContribution(g.Key, g.Count(), g.Sum(u => u.Weight))).ToList();
            return new RunOutcome(runId, state.Status.ToString().ToLowerInvariant(), state.LastAggregatedRound, workers,
                state.AcceptedUpdates, state.RejectedUpdates, await store.GetStreamVersionAsync(RunEvents.StreamOf(runId), cancellationToken) + 1,
                state.InitialValidationLoss, finalLoss, state.CurrentModelHash, SpecModels.Create(spec.Model).Describe(),
                data.Root, checkpoint, clock.Elapsed.TotalSeconds, state.FailureReason, contributions);
        }
        finally
        {
            foreach (var w in workerHosts) await w.DisposeAsync();
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
