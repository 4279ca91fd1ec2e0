using System.Security.Cryptography;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Coordinator.Runs;

/// <summary>Run events to and from the store, under the stable names in <see cref="RunEvents.TypeNames"/>.</summary>
public static class RunEventCodec
{
    private static readonly Guid Namespace = new("6f1d3c2a-5b7e-4c1f-9a2d-0e8b7c6d5f40");

    public static readonly EventSerializer Serializer = new(BuildTypeMap());

    /// <summary>Serialises an event with an id derived from its stream, version and content: a retried append of
    /// the same decision is recognised as the same events, and a different decision at that version conflicts.</summary>
    public static EventData Encode(object @event, string streamId, long streamVersion)
    {
        var draft = Serializer.Serialize(Guid.Empty, @event);
        var digest = Convert.ToHexStringLower(SHA256.HashData(draft.Data.Span));
        var id = EventIds.FromName(Namespace, $"{streamId}/{streamVersion}/{draft.EventType}/{digest}");
        return draft with { EventId = id };
    }

    /// <exception cref="EventDeserializationException">The event's type is unknown or its JSON is malformed.</exception>
    public static object Decode(RecordedEvent recorded) => Serializer.Deserialize(recorded);

    private static EventTypeMap BuildTypeMap()
    {
        var map = new EventTypeMap();
        foreach (var (type, name) in RunEvents.TypeNames) map.Register(type, name);
        return map;
    }
}
