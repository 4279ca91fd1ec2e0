using Federated.EventStore.Backends;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>
/// The writer's own connection and its prepared statements, compiled once and reused by every append.
/// </summary>
internal sealed class AppendCommands : IDisposable
{
    private readonly SqliteCommand _findEvent;
    private readonly SqliteCommand _streamVersion;
    private readonly SqliteCommand _lastEvent;
    private readonly SqliteCommand _upsertStream;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand[] _all;

    public AppendCommands(SqliteConnection connection)
    {
        Connection = connection;
        _findEvent = Prepare("SELECT stream_id, stream_version, global_position FROM events WHERE event_id = $id;",
            ("$id", SqliteType.Text));
        _streamVersion = Prepare("SELECT version FROM streams WHERE stream_id = $stream;",
            ("$stream", SqliteType.Text));
        _lastEvent = Prepare("SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1;");
        _upsertStream = Prepare(
            "INSERT INTO streams (stream_id, version) VALUES ($stream, $version) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version;",
            ("$stream", SqliteType.Text), ("$version", SqliteType.Integer));
        _insertEvent = Prepare(
            "INSERT INTO events (global_position, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at, previous_hash, hash) " +
            "VALUES ($position, $stream, $version, $id, $type, $data, $metadata, $recordedAt, $previousHash, $hash);",
            ("$position", SqliteType.Integer), ("$stream", SqliteType.Text), ("$version", SqliteType.Integer), ("$id", SqliteType.Text),
            ("$type", SqliteType.Text), ("$data", SqliteType.Blob), ("$metadata", SqliteType.Blob), ("$recordedAt", SqliteType.Integer),
            ("$previousHash", SqliteType.Blob), ("$hash", SqliteType.Blob));
        _all = [_findEvent, _streamVersion, _lastEvent, _upsertStream, _insertEvent];
    }

    public SqliteConnection Connection { get; }

    /// <summary>Starts the append's transaction (BEGIN IMMEDIATE: the write lock is taken up front, so the
    /// checks below cannot be invalidated by another process) and enlists every statement in it.</summary>
    public SqliteTransaction Begin()
    {
        var transaction = Connection.BeginTransaction(deferred: false);
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        return transaction;
    }

    public StoredEventLocation? FindEvent(Guid eventId)
    {
        _findEvent.Parameters[0].Value = EventRows.IdText(eventId);
        using var row = _findEvent.ExecuteReader();
        return row.Read() ? new StoredEventLocation(row.GetString(0), row.GetInt64(1), row.GetInt64(2)) : null;
    }

    /// <summary>The stream's version, or -1 when it does not exist.</summary>
    public long StreamVersion(string streamId)
    {
        _streamVersion.Parameters[0].Value = streamId;
        return _streamVersion.ExecuteScalar() is long version ? version : -1;
    }

    /// <summary>The last event's global position and hash; (0, genesis) for an empty store.</summary>
    public (long Position, byte[] Hash) LastEvent()
    {
        using var row = _lastEvent.ExecuteReader();
        return row.Read() ? (row.GetInt64(0), row.GetFieldValue<byte[]>(1)) : (0, HashChain.Genesis);
    }

    public void SetStreamVersion(string streamId, long version)
    {
        _upsertStream.Parameters[0].Value = streamId;
        _upsertStream.Parameters[1].Value = version;
        _upsertStream.ExecuteNonQuery();
    }

    public void InsertEvent(RecordedEvent e)
    {
        var p = _insertEvent.Parameters;
        p[0].Value = e.GlobalPosition;
        p[1].Value = e.StreamId;
        p[2].Value = e.StreamVersion;
        p[3].Value = EventRows.IdText(e.EventId);
        p[4].Value = e.EventType;
        p[5].Value = e.Data;
        p[6].Value = e.Metadata;
        p[7].Value = e.RecordedAt.ToUnixTimeMilliseconds();
        p[8].Value = e.PreviousHash;
        p[9].Value = e.Hash;
        _insertEvent.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
