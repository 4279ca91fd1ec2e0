using Federated.EventStore.Backends;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>
/// The write path: one append at a time per process (SQLite has a single writer anyway, and queueing here
/// is cheaper than SQLite's busy retries), on one long-lived connection with prepared statements.
/// </summary>
internal sealed class SqliteAppender(SqliteDatabase database, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AppendCommands? _commands;
    private bool _disposed;

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteEventStore));
            try
            {
                _commands ??= new AppendCommands(database.OpenConnection());
                return Append(_commands, streamId, expected, events);
            }
            catch (SqliteException e)
            {
                // Start the next append on a fresh connection rather than one in an unknown state.
                _commands?.Dispose();
                _commands = null;
                throw database.Wrap(e, $"append to stream '{streamId}'");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _commands?.Dispose();
            _commands = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private AppendResult Append(AppendCommands commands, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        using var transaction = commands.Begin();
        if (AppendRules.FindRetry(streamId, events, commands.FindEvent) is { } original)
        {
            return original;
        }

        var current = commands.StreamVersion(streamId);
        AppendRules.CheckExpectedVersion(streamId, expected, current);
        var (position, previousHash) = commands.LastEvent();
        var written = AppendRules.Chain(streamId, current, position, previousHash, events, AppendRules.RecordingTime(timeProvider.GetUtcNow()));

        // The stream row goes first: events reference it.
        commands.SetStreamVersion(streamId, written[^1].StreamVersion);
        foreach (var e in written)
        {
            commands.InsertEvent(e);
        }

        transaction.Commit();
        return new AppendResult(written[^1].StreamVersion, written[^1].GlobalPosition);
    }
}
