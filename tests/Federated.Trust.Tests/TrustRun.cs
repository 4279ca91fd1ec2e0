using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.EventStore.Sqlite;
using Federated.Worker;

namespace Federated.Trust.Tests;

/// <summary>
/// A coordinator on a real SQLite store and blob directory whose shard tasks go straight to a handler on the
/// thread pool instead of through a bus. Each worker's handler is honest training unless a test says otherwise.
/// </summary>
internal sealed class TrustRun : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fed-trust-" + Guid.NewGuid().ToString("N")[..8]);

    public TrustRun()
    {
        Directory.CreateDirectory(_root);
        Store = new SqliteEventStore(Path.Combine(_root, "events.db"));
        Blobs = new DirectoryBlobStore(Path.Combine(_root, "blobs"));
        Dispatcher = new DirectDispatcher();
        Coordinator = new RunCoordinator(Store, Blobs, Dispatcher, TimeProvider.System, new CoordinatorOptions { Tick = TimeSpan.FromMilliseconds(20) });
    }

    public SqliteEventStore Store { get; }
    public DirectoryBlobStore Blobs { get; }
    public DirectDispatcher Dispatcher { get; }
    public RunCoordinator Coordinator { get; }

    /// <summary>Cancelled when a worker's handler throws, so a broken attack fails its run at once instead of at the round deadline.</summary>
    public CancellationTokenSource Aborted { get; } = new();

    public Exception? HandlerFailure { get; private set; }

    /// <summary>A worker's identity: a key derived from its id. A malicious worker signs what it sends with its own
    /// key like an honest one: signatures say who sent an update, not whether it is any good.</summary>
    public static EthereumContributionSigner SignerOf(string workerId) =>
        new(Federated.Chain.Hashing.Keccak256.HashUtf8("trust-worker:" + workerId));

    public async Task AddWorkerAsync(string workerId, Func<TrainShard, Task<ShardTrained>> handle)
    {
        var signer = SignerOf(workerId);
        Dispatcher.Routes[$"queue:{workerId}"] = async task =>
        {
            try
            {
                var result = await handle(task);
                await Coordinator.ShardTrainedAsync(result.Signature is null ? signer.Sign(result, task) : result);
            }
            catch (Exception e)
            {
                HandlerFailure ??= e;
                await Aborted.CancelAsync();
            }
        };
        await Coordinator.WorkerAvailableAsync(signer.Sign(new WorkerAvailable { WorkerId = workerId, Endpoint = $"queue:{workerId}" }, DateTimeOffset.UtcNow));
    }

    public void Dispose()
    {
        Aborted.Dispose();
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Delivers each task to its endpoint's handler on the thread pool, as a transport would.</summary>
internal sealed class DirectDispatcher : IWorkDispatcher
{
    public Dictionary<string, Func<TrainShard, Task>> Routes { get; } = new(StringComparer.Ordinal);

    public Task SendAsync(string endpoint, TrainShard task, CancellationToken cancellationToken = default)
    {
        if (!Routes.TryGetValue(endpoint, out var route)) throw new InvalidOperationException($"no route to {endpoint}");
        _ = Task.Run(() => route(task), CancellationToken.None);
        return Task.CompletedTask;
    }
}
