using System.Text.Json;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Coordinator.Runs;

/// <summary>
/// One of the coordinator's own streams outside any run (<see cref="FaultLog"/>, <see cref="LateMessageLog"/>): records
/// of one type as JSON events, each with an id derived from a key, so recording the same thing twice stores it once.
/// Run replays (<c>fed verify</c>) read only <c>run-</c> streams, so these never change a run's outcome.
/// </summary>
internal sealed class RecordStream<T>(string streamId, string eventType, Guid idNamespace) where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string StreamId => streamId;

    public async Task AppendAsync(IEventStore store, T record, string key, CancellationToken cancellationToken)
    {
        var id = EventIds.FromName(idNamespace, key);
        await store.AppendAsync(streamId, ExpectedVersion.Any, [new EventData(id, eventType, JsonSerializer.SerializeToUtf8Bytes(record, Json))], cancellationToken);
    }

    public async Task<IReadOnlyList<T>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken)
    {
        var records = new List<T>();
        await foreach (var e in store.ReadStreamAsync(streamId, ReadDirection.Forward, 0, int.MaxValue, cancellationToken))
            if (e.EventType == eventType && JsonSerializer.Deserialize<T>(e.Data, Json) is { } record) records.Add(record);
        return records;
    }
}
