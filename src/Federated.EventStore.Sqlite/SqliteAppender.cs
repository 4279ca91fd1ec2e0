using System.Runtime.InteropServices;
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

        // An exact retry is answered before the version check: the retried events themselves moved the stream on.
        if (FindRetry(commands, streamId, events) is { } original)
        {
            return original;
        }

        var current = commands.StreamVersion(streamId);
        var matches = expected.Value switch
        {
            -2 => true,
            -1 => current == -1,
            _ => current == expected.Value,
        };
        if (!matches)
        {
            throw new WrongExpectedVersionException(streamId, expected, current);
        }

        var (position, previousHash) = commands.LastEvent();
        // Stored and hashed as whole milliseconds, so what is read back hashes to what was written.
        var recordedAt = DateTimeOffset.FromUnixTimeMilliseconds(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        var version = current;

        // The stream row goes first: events reference it.
        commands.SetStreamVersion(streamId, current + events.Count);
        foreach (var e in events)
        {
            version++;
            position++;
            var data = AsArray(e.Data);
            var metadata = AsArray(e.Metadata);
            var hash = HashChain.Compute(previousHash, streamId, version, position, e.EventId, e.EventType, data, metadata, recordedAt);
            commands.InsertEvent(new RecordedEvent(streamId, version, position, e.EventId, e.EventType, data, metadata, recordedAt, previousHash, hash));
            previousHash = hash;
        }

        transaction.Commit();
        return new AppendResult(version, position);
    }

    /// <summary>The original result when every id of the batch is already stored in this stream, in batch order;
    /// null when none is stored; otherwise the batch overlaps the log in a way no retry could, and is refused.</summary>
    private static AppendResult? FindRetry(AppendCommands commands, string streamId, IReadOnlyList<EventData> events)
    {
        var stored = new StoredEvent?[events.Count];
        var found = 0;
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = commands.FindEvent(events[i].EventId);
            if (stored[i] is not null)
            {
                found++;
            }
        }

        if (found == 0)
        {
            return null;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (stored[i] is { } elsewhere && elsewhere.StreamId != streamId)
            {
                throw new EventIdConflictException(streamId, events[i].EventId,
                    $"is already stored in stream '{elsewhere.StreamId}' at version {elsewhere.StreamVersion}");
            }
        }

        if (found < events.Count)
        {
            var i = Array.FindIndex(stored, s => s is not null);
            throw new EventIdConflictException(streamId, events[i].EventId,
                $"is already stored at version {stored[i]!.StreamVersion}, but {events.Count - found} of the batch's {events.Count} events are not; a retried batch must be identical");
        }

        var first = stored[0]!;
        for (var i = 1; i < events.Count; i++)
        {
            if (stored[i]!.StreamVersion != first.StreamVersion + i)
            {
                throw new EventIdConflictException(streamId, events[i].EventId,
                    $"is already stored at version {stored[i]!.StreamVersion}, not at version {first.StreamVersion + i} as this batch's order implies; a retried batch must keep its order");
            }
        }

        var last = stored[^1]!;
        return new AppendResult(last.StreamVersion, last.GlobalPosition);
    }

    // Hashing and binding need arrays; avoid a copy when the caller already handed us a whole array.
    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
