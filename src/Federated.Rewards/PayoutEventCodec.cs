using System.Security.Cryptography;
using Federated.Domain.Payouts;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Rewards;

/// <summary>Payout events to and from the store under the stable names in <see cref="PayoutEvents.TypeNames"/>; run
/// events (<see cref="RunEvents.TypeNames"/>) are read too, since payouts are derived from them.</summary>
public static class PayoutEventCodec
{
    private static readonly Guid Namespace = new("0b6f6c1e-2d1a-4f0e-93b1-7d3c5e2a9f81");

    public static readonly EventSerializer Serializer = new(BuildTypeMap());

    /// <summary>An id derived from stream, version and content: a retried append of the same decision is a no-op,
    /// a different decision at that version conflicts.</summary>
    public static EventData Encode(object @event, string streamId, long streamVersion)
    {
        var draft = Serializer.Serialize(Guid.Empty, @event);
        var digest = Convert.ToHexStringLower(SHA256.HashData(draft.Data.Span));
        return draft with { EventId = EventIds.FromName(Namespace, $"{streamId}/{streamVersion}/{draft.EventType}/{digest}") };
    }

    public static object Decode(RecordedEvent recorded) => Serializer.Deserialize(recorded);

    private static EventTypeMap BuildTypeMap()
    {
        var map = new EventTypeMap();
        foreach (var (type, name) in PayoutEvents.TypeNames) map.Register(type, name);
        foreach (var (type, name) in RunEvents.TypeNames) map.Register(type, name);
        return map;
    }
}
