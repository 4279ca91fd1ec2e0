using System.Runtime.InteropServices;

namespace Federated.EventStore.Backends;

/// <summary>
/// The append rules every backend applies the same way, written once: the idempotent retry, the expected-version
/// check, and how a batch becomes hash-chained rows. A backend only reads what they need (where ids are stored,
/// the stream's version, the head) and writes what they return, inside its own transaction.
/// </summary>
public static class AppendRules
{
    /// <summary>
    /// The original result when every id of the batch is already stored in this stream, in batch order; null when
    /// none is stored; otherwise the batch overlaps the log in a way no retry could, and is refused. An exact retry
    /// is answered before the version check: the retried events themselves moved the stream on.
    /// </summary>
    /// <param name="find">Where an id is stored, or null when it is not.</param>
    /// <exception cref="EventIdConflictException">Some ids are stored elsewhere, only part of the batch is stored,
    /// or the stored events are in another order.</exception>
    public static AppendResult? FindRetry(string streamId, IReadOnlyList<EventData> events, Func<Guid, StoredEventLocation?> find)
    {
        var stored = new StoredEventLocation?[events.Count];
        var found = 0;
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = find(events[i].EventId);
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
                $"is already stored at version {stored[i]!.Value.StreamVersion}, but {events.Count - found} of the batch's {events.Count} events are not; a retried batch must be identical");
        }

        var first = stored[0]!.Value;
        for (var i = 1; i < events.Count; i++)
        {
            if (stored[i]!.Value.StreamVersion != first.StreamVersion + i)
            {
                throw new EventIdConflictException(streamId, events[i].EventId,
                    $"is already stored at version {stored[i]!.Value.StreamVersion}, not at version {first.StreamVersion + i} as this batch's order implies; a retried batch must keep its order");
            }
        }

        var last = stored[^1]!.Value;
        return new AppendResult(last.StreamVersion, last.GlobalPosition);
    }

    /// <summary>Throws <see cref="WrongExpectedVersionException"/> unless the stream's <paramref name="current"/> version
    /// (-1: no stream) is what <paramref name="expected"/> allows.</summary>
    public static void CheckExpectedVersion(string streamId, ExpectedVersion expected, long current)
    {
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
    }

    /// <summary>The recording time as stored and hashed: whole milliseconds, so what is read back hashes to what was written.</summary>
    public static DateTimeOffset RecordingTime(DateTimeOffset now) =>
        DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());

    /// <summary>
    /// The rows a batch becomes after the stream's <paramref name="currentVersion"/> and the log's head
    /// (<paramref name="headPosition"/>, <paramref name="headHash"/>): consecutive versions and positions, each hash
    /// chained from the one before. Built whole before anything is written, so a batch that cannot be hashed
    /// (e.g. a lone surrogate in its type) fails before it changes anything.
    /// </summary>
    public static RecordedEvent[] Chain(string streamId, long currentVersion, long headPosition, byte[] headHash, IReadOnlyList<EventData> events, DateTimeOffset recordedAt)
    {
        var written = new RecordedEvent[events.Count];
        var previousHash = headHash;
        for (var i = 0; i < written.Length; i++)
        {
            var e = events[i];
            var version = currentVersion + 1 + i;
            var position = headPosition + 1 + i;
            var data = AsArray(e.Data);
            var metadata = AsArray(e.Metadata);
            var hash = HashChain.Compute(previousHash, streamId, version, position, e.EventId, e.EventType, data, metadata, recordedAt);
            written[i] = new RecordedEvent(streamId, version, position, e.EventId, e.EventType, data, metadata, recordedAt, previousHash, hash);
            previousHash = hash;
        }

        return written;
    }

    // Hashing and binding need arrays; avoid a copy when the caller already handed us a whole array.
    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
