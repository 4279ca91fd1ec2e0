using Npgsql;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Holds one connection that LISTENs for the NOTIFY every append sends at commit, and raises an
/// <see cref="AppendSignal"/> for appends to one schema, so subscribers in this process wake up for appends
/// made by other processes. Best effort: subscriptions still poll, so a lost connection only delays them.
/// </summary>
public sealed class PostgresAppendListener : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly AppendSignal _signal;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PostgresAppendListener(NpgsqlDataSource dataSource, string schema, AppendSignal signal)
    {
        _dataSource = dataSource;
        _schema = schema;
        _signal = signal;
        _loop = Task.Run(ListenAsync);
    }

    /// <summary>Completes once the first LISTEN is in place: appends committed after that are never missed while connected.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Starts listening for appends to <paramref name="schema"/>; dispose to stop.</summary>
    public static PostgresAppendListener Start(NpgsqlDataSource dataSource, string schema, AppendSignal signal)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(signal);
        new PostgresStoreOptions { Schema = schema }.Validate();
        return new PostgresAppendListener(dataSource, schema, signal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload == _schema)
                    {
                        _signal.Notify();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresStatements.AppendedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Appends may have landed while we were not listening (first start or a reconnect). Raised before
                // Listening completes, so a caller that waits for Listening never mistakes this wake-up for an append.
                _signal.Notify();
                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (PostgresDatabase.IsDatabaseFailure(e) && !stop.IsCancellationRequested)
            {
                await Task.Delay(ReconnectDelay, stop).ConfigureAwait(false);
            }
        }
    }
}
