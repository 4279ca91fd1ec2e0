using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>Subscription checkpoints in the checkpoints table of an event store file (usually the same file as the events).</summary>
public sealed class SqliteCheckpointStore : ICheckpointStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;
    private volatile bool _disposed;

    /// <exception cref="EventStoreException">The file cannot be opened or is not a usable event store.</exception>
    public SqliteCheckpointStore(string databasePath)
    {
        _database = SqliteDatabase.Open(databasePath);
    }

    public string DatabasePath => _database.Path;

    public async Task<long?> LoadAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        var value = await ExecuteAsync(
            "SELECT position FROM checkpoints WHERE subscription_id = $id;", subscriptionId, null,
            $"load the checkpoint of '{subscriptionId}'", cancellationToken).ConfigureAwait(false);
        return value is long position ? position : null;
    }

    public async Task StoreAsync(string subscriptionId, long position, CancellationToken cancellationToken = default)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        StoreArguments.NotNegative(position, nameof(position));
        await ExecuteAsync(
            "INSERT INTO checkpoints (subscription_id, position) VALUES ($id, $position) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position;",
            subscriptionId, position, $"store the checkpoint of '{subscriptionId}'", cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _database.ReleasePool();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<object?> ExecuteAsync(string sql, string subscriptionId, long? position, string operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = _database.OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", subscriptionId);
            if (position is { } p)
            {
                command.Parameters.AddWithValue("$position", p);
            }

            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw _database.Wrap(e, operation);
        }
    }
}
