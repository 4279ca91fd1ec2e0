using Federated.EventStore.Backends;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Every statement the store runs, with table names qualified by its schema. Parameters are positional
/// ($1, $2, ...) and every statement is prepared, so the server parses and plans each once per connection.
/// </summary>
internal sealed class PostgresStatements
{
    public const string EventColumns = EventRowReader.Columns;

    public PostgresStatements(string schema)
    {
        var s = $"\"{schema}\"";
        LockChainHead = $"SELECT position, hash FROM {s}.chain_head FOR UPDATE";
        StreamVersions = $"SELECT stream_id, version FROM {s}.streams WHERE stream_id = ANY($1)";
        StoredEvents = $"SELECT event_id, stream_id, stream_version, global_position FROM {s}.events WHERE event_id = ANY($1)";
        UpsertStreams =
            $"INSERT INTO {s}.streams (stream_id, version) SELECT * FROM unnest($1::text[], $2::bigint[]) " +
            "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version";
        InsertEvents =
            $"INSERT INTO {s}.events ({EventColumns}) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], " +
            "$5::text[], $6::bytea[], $7::bytea[], $8::bigint[], $9::bytea[], $10::bytea[])";
        CopyEvents = $"COPY {s}.events ({EventColumns}) FROM STDIN (FORMAT BINARY)";
        MoveChainHead = $"UPDATE {s}.chain_head SET position = $1, hash = $2";
        ReadStreamForward =
            $"SELECT {EventColumns} FROM {s}.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3";
        ReadStreamBackward =
            $"SELECT {EventColumns} FROM {s}.events WHERE stream_id = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3";
        ReadAll = $"SELECT {EventColumns} FROM {s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2";
        StreamVersion = $"SELECT COALESCE((SELECT version FROM {s}.streams WHERE stream_id = $1), -1)";
        HeadPosition = $"SELECT COALESCE(MAX(global_position), 0) FROM {s}.events";
        LoadCheckpoint = $"SELECT position FROM {s}.checkpoints WHERE subscription_id = $1";
        StoreCheckpoint =
            $"INSERT INTO {s}.checkpoints (subscription_id, position) VALUES ($1, $2) " +
            "ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position";
    }

    public string LockChainHead { get; }
    public string StreamVersions { get; }
    public string StoredEvents { get; }
    public string UpsertStreams { get; }
    public string InsertEvents { get; }
    public string CopyEvents { get; }
    public string MoveChainHead { get; }
    public string ReadStreamForward { get; }
    public string ReadStreamBackward { get; }
    public string ReadAll { get; }
    public string StreamVersion { get; }
    public string HeadPosition { get; }
    public string LoadCheckpoint { get; }
    public string StoreCheckpoint { get; }

    /// <summary>NOTIFY channel shared by every store; the payload is the schema, so listeners can tell stores apart.</summary>
    public const string AppendedChannel = "federated_events_appended";

    public const string Notify = "SELECT pg_notify('" + AppendedChannel + "', $1)";
}
