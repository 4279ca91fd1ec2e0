using System.Threading.Channels;
using Federated.Contracts;
using MassTransit;

namespace Federated.Worker;

/// <summary>
/// Acknowledge, then track: the <see cref="TrainShardConsumer"/> hands each task to this queue and returns at once, so
/// the broker's delivery is acknowledged in milliseconds instead of staying unacknowledged for the minutes a shard
/// trains (RabbitMQ closes the channel of a consumer that holds a delivery past its consumer timeout, and would hand
/// the task out again). A task lost with the process is covered by the coordinator's lease: it expires and the shard
/// goes to another worker. Results are published here, retried while the broker is away, until the lease runs out.
/// </summary>
public sealed class ShardTrainingQueue(ShardWorker worker, Func<IPublishEndpoint> bus, TextWriter? log = null) : IAsyncDisposable
{
    private static readonly TimeSpan PublishRetryDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<TrainShard> _tasks = Channel.CreateUnbounded<TrainShard>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public ShardWorker Worker => worker;

    public void Start() => _loop ??= Task.Run(() => TrainAllAsync(_stopping.Token), CancellationToken.None);

    /// <summary>Queues a task; false once the worker is stopping (the caller then tells the coordinator the shard is free).</summary>
    public bool TryEnqueue(TrainShard task) => _tasks.Writer.TryWrite(task);

    /// <summary>What the coordinator is told for a task this worker will not train, signed (the coordinator refuses an
    /// unsigned notice from a registered worker, and the shard would then wait for its lease to run out).</summary>
    public ShardFailed Refusal(TrainShard task, string error)
    {
        var failed = new ShardFailed
        {
            RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId, WorkerId = worker.WorkerId, Error = error,
        };
        return worker.Signer?.Sign(failed, DateTimeOffset.UtcNow) ?? failed;
    }

    private async Task TrainAllAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var task in _tasks.Reader.ReadAllAsync(stopping))
            {
                if (task.LeaseExpiresAt <= DateTimeOffset.UtcNow)
                {
                    log?.WriteLine($"skipped shard {task.ShardId} of round {task.Round}: its lease expired at {task.LeaseExpiresAt:O}");
                    continue;
                }
                log?.WriteLine($"training shard {task.ShardId} of round {task.Round} of run {task.RunId} (lease {task.LeaseId})");
                ShardTrained trained;
                try
                {
                    trained = await worker.TrainAsync(task, stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    await PublishBestEffortAsync(Refusal(task, "worker shutting down"));
                    throw;
                }
                catch (Exception e)
                {
                    log?.WriteLine($"shard {task.ShardId} of round {task.Round} failed: {e.GetType().Name}: {e.Message}");
                    await PublishUntilDeliveredAsync(Refusal(task, $"{e.GetType().Name}: {e.Message}"), task.LeaseExpiresAt, stopping);
                    continue;
                }
                log?.WriteLine($"trained shard {trained.ShardId} of round {trained.Round} of run {trained.RunId}: loss {trained.TrainLoss:F4}, {trained.ElapsedSeconds:F1}s");
                await PublishUntilDeliveredAsync(trained, task.LeaseExpiresAt, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    /// <summary>Publishes, retrying while the broker is unreachable; after the lease has run out the result cannot count, so it gives up.</summary>
    private async Task PublishUntilDeliveredAsync<T>(T message, DateTimeOffset leaseExpiresAt, CancellationToken stopping) where T : class
    {
        while (true)
        {
            try
            {
                await bus().Publish(message, stopping);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= leaseExpiresAt)
                {
                    log?.WriteLine($"gave up publishing {typeof(T).Name}: the lease expired at {leaseExpiresAt:O} ({e.Message})");
                    return;
                }
                log?.WriteLine($"could not publish {typeof(T).Name} ({e.Message}); retrying");
                await Task.Delay(PublishRetryDelay, stopping);
            }
        }
    }

    private async Task PublishBestEffortAsync<T>(T message) where T : class
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await bus().Publish(message, timeout.Token);
        }
        catch (Exception) { /* the lease covers a result that could not be sent */ }
    }

    /// <summary>Stops training (the shard in hand and every queued one are handed back with <see cref="ShardFailed"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        _tasks.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop; }
            catch (OperationCanceledException) { }
        }
        while (_tasks.Reader.TryRead(out var queued))
            await PublishBestEffortAsync(Refusal(queued, "worker shutting down"));
        _stopping.Dispose();
    }
}
