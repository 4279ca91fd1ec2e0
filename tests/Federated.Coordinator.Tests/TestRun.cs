using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Sqlite;
using Federated.Worker;

namespace Federated.Coordinator.Tests;

/// <summary>
/// A coordinator on a real SQLite store and blob directory whose shard tasks go straight to a handler
/// (an honest <see cref="ShardWorker"/> unless a test says otherwise) instead of through a bus.
/// </summary>
internal sealed class TestRun : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fed-coord-" + Guid.NewGuid().ToString("N")[..8]);

    private readonly IReadOnlyList<string> _admins;
    private readonly Blobs.Access.BlobLeaseTokens? _blobTokens;

    /// <param name="admins">The consortium admins' addresses the coordinator accepts.</param>
    /// <param name="blobTokens">Issues each task a blob token, as the distributed coordinator does.</param>
    public TestRun(IReadOnlyList<string>? admins = null, Blobs.Access.BlobLeaseTokens? blobTokens = null)
    {
        _admins = admins ?? [];
        _blobTokens = blobTokens;
        Directory.CreateDirectory(_root);
        Store = new SqliteEventStore(Path.Combine(_root, "events.db"));
        Blobs = new DirectoryBlobStore(Path.Combine(_root, "blobs"));
        Dispatcher = new DirectDispatcher();
        Coordinator = NewCoordinator();
    }

    public SqliteEventStore Store { get; }
    public DirectoryBlobStore Blobs { get; }
    public DirectDispatcher Dispatcher { get; }
    public RunCoordinator Coordinator { get; private set; }

    public static RunSpec SmallSpec(int workers = 2, int rounds = 2, ulong seed = 3) => new()
    {
        Name = "test",
        Seed = seed,
        Model = new ModelSpec("gpt", new Dictionary<string, int> { ["context"] = 4, ["layers"] = 1, ["heads"] = 1, ["width"] = 8 }),
        Rounds = rounds,
        Workers = workers,
        ShardsPerRound = workers,
        ShardTokens = 4096,
        LocalSteps = 20,
        BatchSize = 16,
        LearningRate = 3e-3f,
        EvalTokens = 2048,
    };

    /// <summary>Simulates a coordinator restart: a new instance over the same store and blobs.</summary>
    public RunCoordinator NewCoordinator() =>
        Coordinator = new RunCoordinator(Store, Blobs, Dispatcher, TimeProvider.System, new CoordinatorOptions { Tick = TimeSpan.FromMilliseconds(20), Admins = _admins, BlobTokens = _blobTokens });

    /// <summary>A worker's identity: a key derived from its id, so tests are reproducible.</summary>
    public static EthereumContributionSigner SignerOf(string workerId) =>
        new(Federated.Chain.Hashing.Keccak256.HashUtf8("test-worker:" + workerId));

    /// <summary>An honest worker that signs with <see cref="SignerOf"/>.</summary>
    public ShardWorker WorkerFor(string workerId) => new(workerId, Blobs, 1, SignerOf(workerId));

    /// <summary>Adds a worker whose tasks are handled by <paramref name="handle"/> (default: honest training). An unsigned
    /// result is signed with the worker's key before delivery: a handler plays the worker, key included.</summary>
    public async Task AddWorkerAsync(string workerId, Func<TrainShard, Task<ShardTrained?>>? handle = null)
    {
        var honest = WorkerFor(workerId);
        handle ??= async task => await honest.TrainAsync(task);
        Dispatcher.Routes[$"queue:{workerId}"] = async task =>
        {
            var result = await handle(task);
            if (result is null) return;
            await Coordinator.ShardTrainedAsync(result.Signature is null ? honest.Signer!.Sign(result, task) : result);
        };
        await Coordinator.WorkerAvailableAsync(honest.Signer!.Sign(new WorkerAvailable { WorkerId = workerId, Endpoint = $"queue:{workerId}" }, DateTimeOffset.UtcNow));
    }

    public async Task<List<object>> EventsAsync(string runId)
    {
        var events = new List<object>();
        await foreach (var e in Store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue))
            events.Add(RunEventCodec.Decode(e));
        return events;
    }

    public void Dispose()
    {
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Delivers each task to its endpoint's handler on the thread pool, as a transport would.</summary>
internal sealed class DirectDispatcher : IWorkDispatcher
{
    private int _inFlight;

    public Dictionary<string, Func<TrainShard, Task>> Routes { get; } = new(StringComparer.Ordinal);

    public Task SendAsync(string endpoint, TrainShard task, CancellationToken cancellationToken = default)
    {
        if (!Routes.TryGetValue(endpoint, out var route)) throw new InvalidOperationException($"no route to {endpoint}");
        Interlocked.Increment(ref _inFlight);
        _ = Task.Run(async () =>
        {
            try { await route(task); }
            finally { Interlocked.Decrement(ref _inFlight); }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Waits until every task sent so far has been handled (its result delivered).</summary>
    public async Task WaitIdleAsync()
    {
        while (Volatile.Read(ref _inFlight) > 0) await Task.Delay(10);
    }
}
