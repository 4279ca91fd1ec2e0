namespace Federated.EventStore;

/// <summary>Durable positions of catch-up subscriptions, keyed by subscription name.</summary>
public interface ICheckpointStore
{
    /// <summary>The last processed global position, or null when the subscription never stored one.</summary>
    Task<long?> LoadAsync(string subscriptionId, CancellationToken cancellationToken = default);

    Task StoreAsync(string subscriptionId, long position, CancellationToken cancellationToken = default);
}
