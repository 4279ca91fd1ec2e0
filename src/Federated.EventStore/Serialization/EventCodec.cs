using System.Security.Cryptography;

namespace Federated.EventStore.Serialization;

/// <summary>
/// One aggregate's events to and from the store: serialised under their stable type names, with ids derived from
/// the stream, the version and the content. A retried append of the same decision therefore carries the same ids
/// and the store turns it into a no-op, while a different decision at that version conflicts.
/// </summary>
public sealed class EventCodec
{
    private readonly Guid _idNamespace;

    /// <param name="idNamespace">The aggregate's own namespace for event ids (UUID v5); never change it once events exist.</param>
    /// <param name="typeNames">Every event type the codec writes or reads, with its stable stored name; several maps may be
    /// given, e.g. to read another aggregate's events as well.</param>
    public EventCodec(Guid idNamespace, params IEnumerable<IReadOnlyDictionary<Type, string>> typeNames)
    {
        _idNamespace = idNamespace;
        var map = new EventTypeMap();
        foreach (var names in typeNames)
        {
            foreach (var (type, name) in names) map.Register(type, name);
        }

        Serializer = new EventSerializer(map);
    }

    public EventSerializer Serializer { get; }

    /// <summary>The event as it is appended at <paramref name="streamVersion"/> of <paramref name="streamId"/>.</summary>
    public EventData Encode(object @event, string streamId, long streamVersion)
    {
        var draft = Serializer.Serialize(Guid.Empty, @event);
        var digest = Convert.ToHexStringLower(SHA256.HashData(draft.Data.Span));
        return draft with { EventId = EventIds.FromName(_idNamespace, $"{streamId}/{streamVersion}/{draft.EventType}/{digest}") };
    }

    /// <summary>A batch decided together, appended after <paramref name="currentVersion"/> (-1: a new stream).</summary>
    public EventData[] EncodeAfter(IReadOnlyList<object> events, string streamId, long currentVersion) =>
        [.. events.Select((e, i) => Encode(e, streamId, currentVersion + 1 + i))];

    /// <exception cref="EventDeserializationException">The event's type is unknown or its JSON is malformed.</exception>
    public object Decode(RecordedEvent recorded) => Serializer.Deserialize(recorded);
}
