using System.Collections.Concurrent;

namespace Federated.EventStore.Projections;

/// <summary>Checkpoints that live as long as the process: for a read model kept in memory, whose state is lost with the
/// process anyway, so a new process must rebuild it from the start rather than resume from a stored position.</summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, long> _positions = new(StringComparer.Ordinal);

    public Task<long?> LoadAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        return Task.FromResult(_positions.TryGetValue(subscriptionId, out var position) ? position : (long?)null);
    }

    public Task StoreAsync(string subscriptionId, long position, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        StoreArguments.NotNegative(position, nameof(position));
        _positions[subscriptionId] = position;
        return Task.CompletedTask;
    }
}
