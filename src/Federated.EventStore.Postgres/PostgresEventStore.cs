using System.Runtime.CompilerServices;
using Federated.EventStore.Backends;
using Npgsql;
using NpgsqlTypes;

namespace Federated.EventStore.Postgres;

/// <summary>
/// The event store in a PostgreSQL schema. Safe to share within a process, and several processes may append
/// to the same schema: every append locks the chain head row, so positions stay contiguous and the hash chain
/// linear. Concurrent appends of one instance are committed together (group commit); reads use pooled
/// connections and never block appends.
/// </summary>
/// <remarks>
/// Opening creates the schema when missing and applies the embedded migration scripts. Database failures
/// surface as <see cref="EventStoreException"/> naming host, port, database and schema (never the password).
/// </remarks>
public sealed class PostgresEventStore : EventStoreBackend, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly PostgresAppender _appender;
    private readonly PostgresAppendListener? _listener;
    private volatile bool _disposed;

    private PostgresEventStore(PostgresDatabase database, PostgresStoreOptions options)
    {
        _database = database;
        _appender = new PostgresAppender(database, options.TimeProvider, options.MaxEventsPerCommit);
        if (options.ListenForAppends)
        {
            _listener = PostgresAppendListener.Start(database.DataSource, database.Schema, Appended);
        }
    }

    /// <summary>host:port/database of the server, as named in error messages.</summary>
    public string Location => _database.Location;

    public string Schema => _database.Schema;

    /// <summary>Opens the store through <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    /// <exception cref="EventStoreException">The server cannot be reached or the schema is not a usable event store.</exception>
    public static async Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource, PostgresStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgresStoreOptions();
        options.Validate();
        var database = await PostgresStoreOpening.OpenAsync(dataSource, options.Schema, ownsDataSource: false, cancellationToken).ConfigureAwait(false);
        return new PostgresEventStore(database, options);
    }

    /// <summary>Opens the store on its own data source built from <paramref name="connectionString"/>, disposed with the store.</summary>
    /// <exception cref="EventStoreException">The server cannot be reached or the schema is not a usable event store.</exception>
    public static async Task<PostgresEventStore> OpenAsync(string connectionString, PostgresStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgresStoreOptions();
        options.Validate();
        var database = await PostgresStoreOpening.OpenAsync(NpgsqlDataSource.Create(connectionString), options.Schema, ownsDataSource: true, cancellationToken).ConfigureAwait(false);
        return new PostgresEventStore(database, options);
    }

    /// <remarks>With <see cref="PostgresStoreOptions.ListenForAppends"/>, <see cref="EventStoreBackend.Appended"/> is raised
    /// after appends of other processes too.</remarks>
    protected override Task<AppendResult> AppendCoreAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _appender.AppendAsync(streamId, expected, events, cancellationToken);
    }

    protected override IAsyncEnumerable<RecordedEvent> ReadStreamCore(string streamId, bool forward, long fromVersion, int maxCount, CancellationToken cancellationToken) =>
        QueryAsync(forward ? _database.Sql.ReadStreamForward : _database.Sql.ReadStreamBackward,
            [SqlParameters.Typed(streamId, NpgsqlDbType.Text), SqlParameters.Typed(fromVersion, NpgsqlDbType.Bigint), SqlParameters.Typed((long)maxCount, NpgsqlDbType.Bigint)],
            $"read stream '{streamId}'", cancellationToken);

    protected override IAsyncEnumerable<RecordedEvent> ReadAllCore(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken) =>
        QueryAsync(_database.Sql.ReadAll,
            [SqlParameters.Typed(fromPositionExclusive, NpgsqlDbType.Bigint), SqlParameters.Typed((long)maxCount, NpgsqlDbType.Bigint)],
            $"read all events after position {fromPositionExclusive}", cancellationToken);

    protected override Task<long> GetStreamVersionCoreAsync(string streamId, CancellationToken cancellationToken) =>
        ScalarAsync(_database.Sql.StreamVersion, SqlParameters.Typed(streamId, NpgsqlDbType.Text),
            $"read the version of stream '{streamId}'", cancellationToken);

    public override Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync(_database.Sql.HeadPosition, null, "read the head position", cancellationToken);

    /// <summary>Waits for the append in progress, then closes the writer connection (and the data source when the store built it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await _appender.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<RecordedEvent> QueryAsync(
        string sql, NpgsqlParameter[] parameters, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        NpgsqlDataReader? rows = null;
        try
        {
            try
            {
                connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddRange(parameters);
                await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresDatabase.IsDatabaseFailure(e))
            {
                throw _database.Wrap(e, operation);
            }

            while (await NextAsync(rows, operation, cancellationToken).ConfigureAwait(false) is { } next)
            {
                yield return next;
            }
        }
        finally
        {
            if (rows is not null)
            {
                await rows.DisposeAsync().ConfigureAwait(false);
            }

            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The next event, or null at the end.</summary>
    private async Task<RecordedEvent?> NextAsync(NpgsqlDataReader rows, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await rows.ReadAsync(cancellationToken).ConfigureAwait(false) ? EventRowReader.Read(rows) : null;
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseFailure(e))
        {
            throw _database.Wrap(e, operation);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            // The server returned the row, but its values cannot be an event's.
            throw _database.Malformed(e);
        }
    }

    private async Task<long> ScalarAsync(string sql, NpgsqlParameter? parameter, string operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            if (parameter is not null)
            {
                command.Parameters.Add(parameter);
            }

            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseFailure(e))
        {
            throw _database.Wrap(e, operation);
        }
    }
}
