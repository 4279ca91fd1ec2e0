using Npgsql;

namespace Federated.EventStore.Postgres;

/// <summary>How one row of <see cref="PostgresStatements.EventColumns"/> becomes a <see cref="RecordedEvent"/>.</summary>
internal static class EventRows
{
    public static RecordedEvent Read(NpgsqlDataReader row) => new(
        StreamId: row.GetString(1),
        StreamVersion: row.GetInt64(2),
        GlobalPosition: row.GetInt64(0),
        EventId: row.GetGuid(3),
        EventType: row.GetString(4),
        Data: row.GetFieldValue<byte[]>(5),
        Metadata: row.GetFieldValue<byte[]>(6),
        RecordedAt: DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        PreviousHash: row.GetFieldValue<byte[]>(8),
        Hash: row.GetFieldValue<byte[]>(9));
}
