using Federated.EventStore.Backends;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Decides, for a group of appends committed together, what each one does: return an earlier result (an exact
/// retry), fail (wrong expected version, conflicting ids), or write new events, which get contiguous global
/// positions and hashes chained from the head read under the lock. Pure: the database is read before and
/// written after, so every rule is applied in one place, in the order the appends arrived.
/// </summary>
internal sealed class AppendPlan
{
    private readonly Dictionary<string, long> _streamVersions;
    private readonly Dictionary<Guid, StoredEventLocation> _stored;

    /// <param name="stored">Where the group's event ids are already stored; null when they were not looked up (the
    /// optimistic first try: see <see cref="NeedsStoredIds"/>).</param>
    public AppendPlan(long headPosition, byte[] headHash, Dictionary<string, long> streamVersions, Dictionary<Guid, StoredEventLocation>? stored, DateTimeOffset now)
    {
        HeadPosition = headPosition;
        HeadHash = headHash;
        _streamVersions = streamVersions;
        IdsLookedUp = stored is not null;
        _stored = stored ?? [];
        RecordedAt = AppendRules.RecordingTime(now);
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
        if (AppendRules.FindRetry(streamId, append.Events, id => _stored.TryGetValue(id, out var s) ? s : null) is { } original)
        {
            return original;
        }

        var current = _streamVersions.GetValueOrDefault(streamId, -1);
        AppendRules.CheckExpectedVersion(streamId, append.Expected, current);

        // Built whole and added only when the whole batch hashed, so a failing append leaves the plan as it was.
        var written = AppendRules.Chain(streamId, current, HeadPosition, HeadHash, append.Events, RecordedAt);
        foreach (var e in written)
        {
            _stored[e.EventId] = new StoredEventLocation(streamId, e.StreamVersion, e.GlobalPosition);
        }

        NewEvents.AddRange(written);
        HeadPosition = written[^1].GlobalPosition;
        HeadHash = written[^1].Hash;
        var version = written[^1].StreamVersion;
        _streamVersions[streamId] = version;
        ChangedStreams[streamId] = version;
        return new AppendResult(version, HeadPosition);
    }
}
