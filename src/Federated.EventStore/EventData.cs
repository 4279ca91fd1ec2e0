namespace Federated.EventStore;

/// <summary>An event about to be appended. <see cref="Data"/> and <see cref="Metadata"/> are UTF-8 JSON.</summary>
/// <remarks>The event id makes appends idempotent: appending the same ids again is a no-op.</remarks>
public sealed record EventData(Guid EventId, string EventType, ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte> Metadata)
{
    public EventData(Guid eventId, string eventType, ReadOnlyMemory<byte> data)
        : this(eventId, eventType, data, ReadOnlyMemory<byte>.Empty) { }
}
