using System.Diagnostics;
using System.Runtime.CompilerServices;
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
public sealed class SqliteEventStore : IEventStore, IAsyncDisposable, IDisposable
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

    /// <summary>Raised after each append of this instance commits; pass it to CatchUpOptions.WakeUp.</summary>
    public AppendSignal Appended { get; } = new();

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        StoreArguments.Append(streamId, expected, events);
        var result = await _appender.AppendAsync(streamId, expected, events, cancellationToken).ConfigureAwait(false);
        Appended.Notify();
        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.ReadStream(streamId, direction, fromVersion, maxCount);
        var sql = direction switch
        {
            ReadDirection.Forward => $"{EventRows.Select} WHERE stream_id = $stream AND stream_version >= $from ORDER BY stream_version LIMIT $max;",
            ReadDirection.Backward => $"{EventRows.Select} WHERE stream_id = $stream AND stream_version <= $from ORDER BY stream_version DESC LIMIT $max;",
            _ => throw new UnreachableException(),
        };
        return QueryAsync(sql, [("$stream", streamId), ("$from", fromVersion), ("$max", maxCount)], $"read stream '{streamId}'", cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.ReadAll(fromPositionExclusive, maxCount);
        return QueryAsync(
            $"{EventRows.Select} WHERE global_position > $from ORDER BY global_position LIMIT $max;",
            [("$from", fromPositionExclusive), ("$max", maxCount)],
            $"read all events after position {fromPositionExclusive}",
            cancellationToken);
    }

    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreArguments.StreamId(streamId);
        return ScalarAsync("SELECT COALESCE((SELECT version FROM streams WHERE stream_id = $stream), -1);", ("$stream", streamId), $"read the version of stream '{streamId}'", cancellationToken);
    }

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
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
