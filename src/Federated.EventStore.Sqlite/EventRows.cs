using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>The events table's column list and how one row becomes a <see cref="RecordedEvent"/>.</summary>
internal static class EventRows
{
    public const string Select =
        "SELECT global_position, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at, previous_hash, hash FROM events";

    public static RecordedEvent Read(SqliteDataReader row) => new(
        StreamId: row.GetString(1),
        StreamVersion: row.GetInt64(2),
        GlobalPosition: row.GetInt64(0),
        EventId: Guid.ParseExact(row.GetString(3), "D"),
        EventType: row.GetString(4),
        Data: row.GetFieldValue<byte[]>(5),
        Metadata: row.GetFieldValue<byte[]>(6),
        RecordedAt: DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        PreviousHash: row.GetFieldValue<byte[]>(8),
        Hash: row.GetFieldValue<byte[]>(9));

    /// <summary>The text form stored in event_id (and shared with PostgreSQL's uuid text output).</summary>
    public static string IdText(Guid eventId) => eventId.ToString("D");
}
