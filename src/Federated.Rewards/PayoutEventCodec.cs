using Federated.Domain.Payouts;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Rewards;

/// <summary>Payout events to and from the store under the stable names in <see cref="PayoutEvents.TypeNames"/>; run
/// events (<see cref="RunEvents.TypeNames"/>) are read too, since payouts are derived from them.</summary>
public static class PayoutEventCodec
{
    public static readonly EventCodec Codec = new(new Guid("0b6f6c1e-2d1a-4f0e-93b1-7d3c5e2a9f81"), PayoutEvents.TypeNames, RunEvents.TypeNames);

    /// <inheritdoc cref="EventCodec.Encode"/>
    public static EventData Encode(object @event, string streamId, long streamVersion) => Codec.Encode(@event, streamId, streamVersion);

    /// <inheritdoc cref="EventCodec.Decode"/>
    public static object Decode(RecordedEvent recorded) => Codec.Decode(recorded);
}
