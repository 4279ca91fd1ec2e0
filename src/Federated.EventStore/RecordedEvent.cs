namespace Federated.EventStore;

/// <summary>An event as stored.</summary>
/// <param name="StreamVersion">0-based position of the event within its stream.</param>
/// <param name="GlobalPosition">1-based position in the store-wide log; the hash chain follows this order.</param>
/// <param name="PreviousHash">Hash of the event at GlobalPosition - 1 (32 zero bytes for the first event).</param>
/// <param name="Hash">SHA-256 over PreviousHash and this event's canonical encoding (see <see cref="HashChain"/>).</param>
public sealed record RecordedEvent(
    string StreamId,
    long StreamVersion,
    long GlobalPosition,
    Guid EventId,
    string EventType,
    byte[] Data,
    byte[] Metadata,
    DateTimeOffset RecordedAt,
    byte[] PreviousHash,
    byte[] Hash);
