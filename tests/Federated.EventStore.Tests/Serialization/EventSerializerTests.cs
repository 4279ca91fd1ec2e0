using System.Text;
using Federated.EventStore.Serialization;

namespace Federated.EventStore.Tests.Serialization;

public sealed class EventSerializerTests
{
    private static readonly Guid Id = Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001");

    private readonly EventSerializer _serializer = new(new EventTypeMap()
        .Register<RunLaunched>("RunLaunched.V1")
        .Register<LossReported>("LossReported.V1"));

    [Fact]
    public void Serializing_names_the_event_by_its_registered_type_name()
    {
        var data = _serializer.Serialize(Id, new LossReported(1, 0.5));

        Assert.Equal("LossReported.V1", data.EventType);
    }

    [Fact]
    public void Serializing_keeps_the_callers_event_id()
    {
        var data = _serializer.Serialize(Id, new LossReported(1, 0.5));

        Assert.Equal(Id, data.EventId);
    }

    [Fact]
    public void Serializing_writes_compact_camel_case_json_with_enums_by_name()
    {
        var data = _serializer.Serialize(Id, new RunLaunched("run-1", 0.001, 3, Phase.Training));

        Assert.Equal("""{"runId":"run-1","learningRate":0.001,"rounds":3,"phase":"Training"}""", Encoding.UTF8.GetString(data.Data.Span));
    }

    [Fact]
    public void Serializing_the_same_event_twice_gives_the_same_bytes()
    {
        var e = new RunLaunched("run-1", 1.0 / 3, 3, Phase.Training);

        Assert.Equal(_serializer.Serialize(Id, e).Data.ToArray(), _serializer.Serialize(Id, e).Data.ToArray());
    }

    [Fact]
    public void An_event_round_trips_through_a_stored_event()
    {
        var e = new RunLaunched("run-1", 0.001, 3, Phase.Training);

        Assert.Equal(e, _serializer.Deserialize(Stored(_serializer.Serialize(Id, e))));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_loss_round_trips(double loss)
    {
        var back = (LossReported)_serializer.Deserialize(Stored(_serializer.Serialize(Id, new LossReported(7, loss))));

        Assert.Equal(loss, back.Loss);
    }

    [Fact]
    public void Metadata_is_stored_as_json_beside_the_event()
    {
        var data = _serializer.Serialize(Id, new LossReported(1, 0.5), new { CorrelationId = "c-1" });

        Assert.Equal("""{"correlationId":"c-1"}""", Encoding.UTF8.GetString(data.Metadata.Span));
    }

    [Fact]
    public void Serializing_an_unregistered_type_throws_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => _serializer.Serialize(Id, new Unregistered()));

        Assert.Contains(nameof(Unregistered), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserializing_an_unknown_type_name_throws_naming_the_type_and_position()
    {
        var stored = Stored(new EventData(Id, "Vanished.V1", "{}"u8.ToArray()));

        var e = Assert.Throws<EventDeserializationException>(() => _serializer.Deserialize(stored));

        Assert.Equal(
            "Event at global position 42 (stream 'run-1', version 3, type 'Vanished.V1') cannot be read: the type name is not registered in the event type map",
            e.Message);
    }

    [Fact]
    public void Deserializing_malformed_json_throws_naming_the_type_and_position()
    {
        var stored = Stored(new EventData(Id, "LossReported.V1", """{"round":1,"loss":"""u8.ToArray()));

        var e = Assert.Throws<EventDeserializationException>(() => _serializer.Deserialize(stored));

        Assert.StartsWith("Event at global position 42 (stream 'run-1', version 3, type 'LossReported.V1') cannot be read: its data is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserializing_json_null_throws_EventDeserializationException()
    {
        var stored = Stored(new EventData(Id, "LossReported.V1", "null"u8.ToArray()));

        Assert.Throws<EventDeserializationException>(() => _serializer.Deserialize(stored));
    }

    [Fact]
    public void Registering_a_type_name_twice_throws()
    {
        var map = new EventTypeMap().Register<RunLaunched>("RunLaunched.V1");

        Assert.Throws<ArgumentException>(() => map.Register<LossReported>("RunLaunched.V1"));
    }

    [Fact]
    public void Registering_a_type_twice_throws()
    {
        var map = new EventTypeMap().Register<RunLaunched>("RunLaunched.V1");

        Assert.Throws<ArgumentException>(() => map.Register<RunLaunched>("RunLaunched.V2"));
    }

    private static RecordedEvent Stored(EventData data) => new(
        "run-1", 3, 42, data.EventId, data.EventType, data.Data.ToArray(), data.Metadata.ToArray(),
        DateTimeOffset.UnixEpoch, HashChain.Genesis, HashChain.Genesis);

    public enum Phase
    {
        Training,
        Aggregating,
    }

    public sealed record RunLaunched(string RunId, double LearningRate, int Rounds, Phase Phase);

    public sealed record LossReported(int Round, double Loss);

    private sealed record Unregistered;
}
