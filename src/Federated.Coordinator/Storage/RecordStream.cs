using System.Text.Json;
using Federated.EventStore;
using Federated.EventStore.Serialization;

namespace Federated.Coordinator.Storage;

/// <summary>
/// One of the coordinator's own streams outside any run (the fault and late-message logs, the admin action and worker notice logs): records
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

    /// <summary>
    /// Appends the record under its key unless the key is already recorded, and returns the record the log holds for
    /// the key: <paramref name="record"/> itself when this call stored it, else the one stored first. The store answers
    /// a repeated event id as a retry (no second event), so of two writers, two coordinators or one before and after a
    /// restart, exactly one gets its own record back; a caller tells by a field only it could have written (a claim).
    /// </summary>
    public async Task<T> AppendOnceAsync(IEventStore store, T record, string key, CancellationToken cancellationToken)
    {
        var id = EventIds.FromName(idNamespace, key);
        var appended = await store.AppendAsync(streamId, ExpectedVersion.Any, [new EventData(id, eventType, JsonSerializer.SerializeToUtf8Bytes(record, Json))], cancellationToken);
        await foreach (var e in store.ReadStreamAsync(streamId, ReadDirection.Forward, appended.NextExpectedVersion, 1, cancellationToken))
            if (e.EventId == id && JsonSerializer.Deserialize<T>(e.Data, Json) is { } stored) return stored;
        throw new InvalidOperationException($"stream {streamId} does not hold event {id} at version {appended.NextExpectedVersion}, where the store said it is");
    }

    public async Task<IReadOnlyList<T>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken)
    {
        var records = new List<T>();
        await foreach (var e in store.ReadStreamAsync(streamId, ReadDirection.Forward, 0, int.MaxValue, cancellationToken))
            if (e.EventType == eventType && JsonSerializer.Deserialize<T>(e.Data, Json) is { } record) records.Add(record);
        return records;
    }
}
