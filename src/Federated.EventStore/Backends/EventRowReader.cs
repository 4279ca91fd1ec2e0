using System.Data.Common;

namespace Federated.EventStore.Backends;

/// <summary>
/// The events table's columns in the order every backend selects them, and how one row becomes a
/// <see cref="RecordedEvent"/>. The event id is a uuid where the database has one, else its "D" text form.
/// </summary>
public static class EventRowReader
{
    /// <summary>The column list both schemas share, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "global_position, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at, previous_hash, hash";

    public static RecordedEvent Read(DbDataReader row) => new(
        StreamId: row.GetString(1),
        StreamVersion: row.GetInt64(2),
        GlobalPosition: row.GetInt64(0),
        EventId: row.GetValue(3) switch
        {
            Guid id => id,
            string text => Guid.ParseExact(text, "D"),
            var other => throw new InvalidCastException($"event_id at position {row.GetInt64(0)} is a {other.GetType().Name}, not a uuid or its text"),
        },
        EventType: row.GetString(4),
        Data: row.GetFieldValue<byte[]>(5),
        Metadata: row.GetFieldValue<byte[]>(6),
        RecordedAt: DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        PreviousHash: row.GetFieldValue<byte[]>(8),
        Hash: row.GetFieldValue<byte[]>(9));
}
