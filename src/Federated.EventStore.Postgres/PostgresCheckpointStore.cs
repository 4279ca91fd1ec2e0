using Npgsql;
using NpgsqlTypes;

namespace Federated.EventStore.Postgres;

/// <summary>Subscription checkpoints in the checkpoints table of an event store schema (usually the same schema as the events).</summary>
public sealed class PostgresCheckpointStore : ICheckpointStore, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private volatile bool _disposed;

    private PostgresCheckpointStore(PostgresDatabase database)
    {
        _database = database;
    }

    public string Location => _database.Location;

    public string Schema => _database.Schema;

    /// <summary>Opens the checkpoints of <paramref name="schema"/> through <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    /// <exception cref="EventStoreException">The server cannot be reached or the schema is not a usable event store.</exception>
    public static async Task<PostgresCheckpointStore> OpenAsync(NpgsqlDataSource dataSource, string schema = "public", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        new PostgresStoreOptions { Schema = schema }.Validate();
        return new PostgresCheckpointStore(await PostgresStoreOpening.OpenAsync(dataSource, schema, ownsDataSource: false, cancellationToken).ConfigureAwait(false));
    }

    public async Task<long?> LoadAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        var value = await ExecuteAsync(_database.Sql.LoadCheckpoint, subscriptionId, null,
            $"load the checkpoint of '{subscriptionId}'", cancellationToken).ConfigureAwait(false);
        return value is long position ? position : null;
    }

    public async Task StoreAsync(string subscriptionId, long position, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        StoreArguments.NotNegative(position, nameof(position));
        await ExecuteAsync(_database.Sql.StoreCheckpoint, subscriptionId, position,
            $"store the checkpoint of '{subscriptionId}'", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private async Task<object?> ExecuteAsync(string sql, string subscriptionId, long? position, string operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(SqlParameters.Typed(subscriptionId, NpgsqlDbType.Text));
            if (position is { } p)
            {
                command.Parameters.Add(SqlParameters.Typed(p, NpgsqlDbType.Bigint));
            }

            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseFailure(e))
        {
            throw _database.Wrap(e, operation);
        }
    }
}
