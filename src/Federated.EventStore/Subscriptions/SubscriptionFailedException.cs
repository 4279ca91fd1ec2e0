namespace Federated.EventStore.Subscriptions;

/// <summary>
/// A subscription's handler threw; the subscription stopped. <see cref="Exception.InnerException"/> is the
/// handler's exception. The checkpoint is at or before the event before the failed one, so a restart
/// delivers the failed event again.
/// </summary>
public sealed class SubscriptionFailedException(string subscriptionId, RecordedEvent failedEvent, long checkpoint, Exception innerException)
    : Exception(
        $"Subscription '{subscriptionId}' stopped: its handler failed on the event at global position {failedEvent.GlobalPosition} " +
        $"(stream '{failedEvent.StreamId}', version {failedEvent.StreamVersion}, type '{failedEvent.EventType}'): {innerException.Message} " +
        $"The checkpoint stays at {checkpoint}.",
        innerException)
{
    public string SubscriptionId { get; } = subscriptionId;
    public long FailedPosition { get; } = failedEvent.GlobalPosition;

    /// <summary>The stored checkpoint when the subscription stopped.</summary>
    public long Checkpoint { get; } = checkpoint;
}
