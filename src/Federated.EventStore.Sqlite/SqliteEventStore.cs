using System.Runtime.CompilerServices;
using Federated.EventStore.Backends;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>
/// The event store in one SQLite file (WAL, synchronous=FULL). Safe to share within a process: appends
/// queue for the single writer connection; each read uses its own pooled connection and never blocks appends.
/// </summary>
/// <remarks>
/// Opening creates the file and applies the embedded schema scripts. Database failures surface as
/// <see cref="EventStoreException"/> naming the file. Several processes may open the same file: SQLite's
/// lock serializes their appends, and the hash chain stays linear because each append reads the last hash
/// inside its write transaction.
/// </remarks>
public sealed class SqliteEventStore : EventStoreBackend, IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SqliteAppender _appender;
    private volatile bool _disposed;

    /// <param name="databasePath">The database file; it and its directory are created when missing.</param>
    /// <param name="timeProvider">Clock for each event's recording time; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="EventStoreException">The file cannot be opened or is not a usable event store.</exception>
    public SqliteEventStore(string databasePath, TimeProvider? timeProvider = null)
    {
        _database = SqliteDatabase.Open(databasePath);
        _appender = new SqliteAppender(_database, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    protected override Task<AppendResult> AppendCoreAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken) =>
        _appender.AppendAsync(streamId, expected, events, cancellationToken);

    protected override IAsyncEnumerable<RecordedEvent> ReadStreamCore(string streamId, bool forward, long fromVersion, int maxCount, CancellationToken cancellationToken) =>
        QueryAsync(
            forward
                ? $"{EventRows.Select} WHERE stream_id = $stream AND stream_version >= $from ORDER BY stream_version LIMIT $max;"
                : $"{EventRows.Select} WHERE stream_id = $stream AND stream_version <= $from ORDER BY stream_version DESC LIMIT $max;",
            [("$stream", streamId), ("$from", fromVersion), ("$max", maxCount)], $"read stream '{streamId}'", cancellationToken);

    protected override IAsyncEnumerable<RecordedEvent> ReadAllCore(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken) =>
        QueryAsync(
            $"{EventRows.Select} WHERE global_position > $from ORDER BY global_position LIMIT $max;",
            [("$from", fromPositionExclusive), ("$max", maxCount)],
            $"read all events after position {fromPositionExclusive}",
            cancellationToken);

    protected override Task<long> GetStreamVersionCoreAsync(string streamId, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT COALESCE((SELECT version FROM streams WHERE stream_id = $stream), -1);", ("$stream", streamId), $"read the version of stream '{streamId}'", cancellationToken);

    public override Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT COALESCE(MAX(global_position), 0) FROM events;", null, "read the head position", cancellationToken);

    /// <summary>Closes the writer connection and releases the file (pooled connections are closed too).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _appender.Dispose();
        _database.ReleasePool();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<RecordedEvent> QueryAsync(
        string sql, (string Name, object Value)[] parameters, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var query = new EventQuery(_database, sql, parameters, operation);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (query.Next() is not { } next)
            {
                yield break;
            }

            yield return next;
        }
    }

    private async Task<long> ScalarAsync(string sql, (string Name, object Value)? parameter, string operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = _database.OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (parameter is var (name, value))
            {
                command.Parameters.AddWithValue(name, value);
            }

            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (SqliteException e)
        {
            throw _database.Wrap(e, operation);
        }
    }
}
