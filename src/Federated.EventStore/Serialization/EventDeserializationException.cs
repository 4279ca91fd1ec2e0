namespace Federated.EventStore.Serialization;

/// <summary>A stored event cannot be turned back into its CLR type: its type name is unknown or its JSON does not fit.</summary>
public sealed class EventDeserializationException(RecordedEvent recorded, string reason, Exception? innerException = null)
    : Exception($"Event at global position {recorded.GlobalPosition} (stream '{recorded.StreamId}', version {recorded.StreamVersion}, type '{recorded.EventType}') cannot be read: {reason}", innerException)
{
    public string EventType { get; } = recorded.EventType;
    public long GlobalPosition { get; } = recorded.GlobalPosition;
    public string StreamId { get; } = recorded.StreamId;
    public long StreamVersion { get; } = recorded.StreamVersion;
}
