using System.Runtime.InteropServices;

namespace Federated.EventStore.Postgres;

/// <summary>Where an event id is already stored (or will be, once this commit lands).</summary>
internal readonly record struct StoredEvent(string StreamId, long StreamVersion, long GlobalPosition);

/// <summary>
/// Decides, for a group of appends committed together, what each one does: return an earlier result (an exact
/// retry), fail (wrong expected version, conflicting ids), or write new events, which get contiguous global
/// positions and hashes chained from the head read under the lock. Pure: the database is read before and
/// written after, so every rule is applied in one place, in the order the appends arrived.
/// </summary>
internal sealed class AppendPlan
{
    private readonly Dictionary<string, long> _streamVersions;
    private readonly Dictionary<Guid, StoredEvent> _stored;

    /// <param name="stored">Where the group's event ids are already stored; null when they were not looked up (the
    /// optimistic first try: see <see cref="NeedsStoredIds"/>).</param>
    public AppendPlan(long headPosition, byte[] headHash, Dictionary<string, long> streamVersions, Dictionary<Guid, StoredEvent>? stored, DateTimeOffset now)
    {
        HeadPosition = headPosition;
        HeadHash = headHash;
        _streamVersions = streamVersions;
        IdsLookedUp = stored is not null;
        _stored = stored ?? [];
        // Stored and hashed as whole milliseconds, so what is read back hashes to what was written.
        RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }

    public long HeadPosition { get; private set; }

    public byte[] HeadHash { get; private set; }

    public DateTimeOffset RecordedAt { get; }

    /// <summary>Events to insert, in global position order.</summary>
    public List<RecordedEvent> NewEvents { get; } = [];

    /// <summary>Final version of each stream this commit writes to.</summary>
    public Dictionary<string, long> ChangedStreams { get; } = new(StringComparer.Ordinal);

    /// <summary>Each append's outcome: a result, or the exception its caller gets. Both count only once the commit succeeds.</summary>
    public List<(PendingAppend Append, AppendResult? Result, Exception? Error)> Outcomes { get; } = [];

    /// <summary>Whether the plan knows which of the group's ids are already stored.</summary>
    public bool IdsLookedUp { get; }

    /// <summary>
    /// Decided without the stored ids, an append failed its version check; it may be an exact retry (whose own events
    /// moved the stream on), which only the stored ids can tell. The group must be planned again with them.
    /// </summary>
    public bool NeedsStoredIds { get; private set; }

    public void Add(PendingAppend append)
    {
        try
        {
            Outcomes.Add((append, Decide(append), null));
        }
        catch (WrongExpectedVersionException e) when (!IdsLookedUp)
        {
            NeedsStoredIds = true;
            Outcomes.Add((append, null, e));
        }
        catch (Exception e)
        {
            // Only this append fails (e.g. a lone surrogate that cannot be hashed); the rest of the group still commits.
            Outcomes.Add((append, null, e));
        }
    }

    private AppendResult Decide(PendingAppend append)
    {
        var streamId = append.StreamId;
        // An exact retry is answered before the version check: the retried events themselves moved the stream on.
        if (FindRetry(streamId, append.Events) is { } original)
        {
            return original;
        }

        var current = _streamVersions.GetValueOrDefault(streamId, -1);
        var matches = append.Expected.Value switch
        {
            -2 => true,
            -1 => current == -1,
            _ => current == append.Expected.Value,
        };
        if (!matches)
        {
            throw new WrongExpectedVersionException(streamId, append.Expected, current);
        }

        // Built aside and added only when the whole batch hashed, so a failing append leaves the plan as it was.
        var written = new RecordedEvent[append.Events.Count];
        var version = current;
        var position = HeadPosition;
        var previousHash = HeadHash;
        for (var i = 0; i < written.Length; i++)
        {
            var e = append.Events[i];
            version++;
            position++;
            var data = AsArray(e.Data);
            var metadata = AsArray(e.Metadata);
            var hash = HashChain.Compute(previousHash, streamId, version, position, e.EventId, e.EventType, data, metadata, RecordedAt);
            written[i] = new RecordedEvent(streamId, version, position, e.EventId, e.EventType, data, metadata, RecordedAt, previousHash, hash);
            previousHash = hash;
        }

        foreach (var e in written)
        {
            _stored[e.EventId] = new StoredEvent(streamId, e.StreamVersion, e.GlobalPosition);
        }

        NewEvents.AddRange(written);
        HeadPosition = position;
        HeadHash = previousHash;
        _streamVersions[streamId] = version;
        ChangedStreams[streamId] = version;
        return new AppendResult(version, position);
    }

    /// <summary>The original result when every id of the batch is already stored in this stream, in batch order;
    /// null when none is stored; otherwise the batch overlaps the log in a way no retry could, and is refused.</summary>
    private AppendResult? FindRetry(string streamId, IReadOnlyList<EventData> events)
    {
        var stored = new StoredEvent?[events.Count];
        var found = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (_stored.TryGetValue(events[i].EventId, out var s))
            {
                stored[i] = s;
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

    // Hashing and binding need arrays; avoid a copy when the caller already handed us a whole array.
    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
