using Federated.EventStore.Serialization;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Serialization;

public class EventCodecTests
{
    private static readonly EventCodec Codec = Tally.Rules.Codec;

    [Fact]
    public void The_same_event_at_the_same_place_gets_the_same_id()
    {
        Assert.Equal(Codec.Encode(new TallyAdded(1), "s", 0).EventId, Codec.Encode(new TallyAdded(1), "s", 0).EventId);
    }

    [Fact]
    public void Another_decision_at_the_same_place_gets_another_id()
    {
        Assert.NotEqual(Codec.Encode(new TallyAdded(1), "s", 0).EventId, Codec.Encode(new TallyAdded(2), "s", 0).EventId);
    }

    [Fact]
    public void The_same_event_at_another_version_gets_another_id()
    {
        Assert.NotEqual(Codec.Encode(new TallyAdded(1), "s", 0).EventId, Codec.Encode(new TallyAdded(1), "s", 1).EventId);
    }

    [Fact]
    public void A_batch_is_numbered_from_the_version_after_the_current_one()
    {
        var batch = Codec.EncodeAfter([new TallyAdded(1), new TallyAdded(2)], "s", 4);

        Assert.Equal([Codec.Encode(new TallyAdded(1), "s", 5).EventId, Codec.Encode(new TallyAdded(2), "s", 6).EventId], batch.Select(e => e.EventId));
    }

    [Fact]
    public void An_event_decodes_to_what_was_encoded()
    {
        var data = Codec.Encode(new TallyAdded(9), "s", 0);
        var recorded = new RecordedEvent("s", 0, 1, data.EventId, data.EventType, data.Data.ToArray(), [], DateTimeOffset.UnixEpoch, [], []);

        Assert.Equal(new TallyAdded(9), Codec.Decode(recorded));
    }

    [Fact]
    public void A_type_name_given_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new EventCodec(Guid.NewGuid(),
            new Dictionary<Type, string> { [typeof(TallyAdded)] = "X.V1" }, new Dictionary<Type, string> { [typeof(AddToTally)] = "X.V1" }));
    }
}
