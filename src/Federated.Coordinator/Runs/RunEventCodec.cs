using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Coordinator.Runs;

/// <summary>Run events to and from the store, under the stable names in <see cref="RunEvents.TypeNames"/>.</summary>
public static class RunEventCodec
{
    public static readonly EventCodec Codec = new(new Guid("6f1d3c2a-5b7e-4c1f-9a2d-0e8b7c6d5f40"), RunEvents.TypeNames);

    /// <inheritdoc cref="EventCodec.Encode"/>
    public static EventData Encode(object @event, string streamId, long streamVersion) => Codec.Encode(@event, streamId, streamVersion);

    /// <inheritdoc cref="EventCodec.Decode"/>
    public static object Decode(RecordedEvent recorded) => Codec.Decode(recorded);
}
