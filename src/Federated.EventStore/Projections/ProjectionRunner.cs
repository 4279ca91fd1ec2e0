using Federated.EventStore.Subscriptions;

namespace Federated.EventStore.Projections;

/// <summary>Feeds one projection from the log through a <see cref="CatchUpSubscription"/> checkpointed under the projection's name.</summary>
public sealed class ProjectionRunner
{
    private readonly CatchUpSubscription _subscription;

    public ProjectionRunner(IProjection projection, IEventStoreReader reader, ICheckpointStore checkpoints, CatchUpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(projection);
        Projection = projection;
        _subscription = new CatchUpSubscription(projection.Name, reader, checkpoints, projection.ApplyAsync, options);
    }

    public IProjection Projection { get; }

    /// <summary>A runner for a projection kept in memory, checkpointed in memory too (see <see cref="InMemoryCheckpointStore"/>):
    /// the first catch-up reads the whole log, each later one only what is new.</summary>
    public static ProjectionRunner InMemory(InMemoryProjection projection, IEventStoreReader reader, CatchUpOptions? options = null) =>
        new(projection, reader, new InMemoryCheckpointStore(), options);

    /// <summary>The projection's stored checkpoint (0 before anything was applied).</summary>
    public long Checkpoint => _subscription.Checkpoint;

    /// <summary>Applies everything after the checkpoint up to the end of the log; returns how many events were applied.</summary>
    public Task<long> RunToEndAsync(CancellationToken cancellationToken = default) => _subscription.RunToEndAsync(cancellationToken);

    /// <summary>Catches up, then keeps the projection current until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _subscription.RunAsync(cancellationToken);
}
