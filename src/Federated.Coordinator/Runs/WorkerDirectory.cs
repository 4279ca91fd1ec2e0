namespace Federated.Coordinator.Runs;

/// <summary>
/// Workers the coordinator can reach now: where to send them work, and whether they can be trusted to serve. Not evented:
/// membership in a run is (WorkerJoined / WorkerLeft) and so is every lease; this is the coordinator's local address
/// book, rebuilt as workers announce themselves. It forgets a worker not heard from within
/// <see cref="WorkerLiveness.Timeout"/>, and benches one that lets <see cref="WorkerLiveness.BenchAfterExpiries"/> leases
/// in a row run out, for a cool-down that doubles with each bench, so a worker that announces itself but does not serve
/// cannot take lease after lease by announcing itself again.
/// </summary>
public sealed class WorkerDirectory(TimeProvider time, WorkerLiveness liveness)
{
    /// <param name="Address">The address the worker proved it holds, or null for an unsigned worker.</param>
    public sealed record Entry(string WorkerId, string Endpoint, int Threads, string? Address = null);

    /// <summary>What the directory knows of one worker; kept across its goodbyes, so strikes and benches survive them.</summary>
    private sealed class Standing
    {
        public Entry? Entry;
        public DateTimeOffset LastHeard;
        public long LastIssuedAt = long.MinValue;
        public int Strikes;
        public int Benches;
        public DateTimeOffset BenchedUntil = DateTimeOffset.MinValue;
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Standing> _workers = new(StringComparer.Ordinal);

    public WorkerDirectory() : this(TimeProvider.System, WorkerLiveness.Default) { }

    public WorkerLiveness Liveness => liveness;

    /// <summary>The worker announced itself: it is reachable at the entry's endpoint as of now.</summary>
    /// <param name="issuedAt">When a signed announcement says it was signed (Unix seconds). Only an announcement newer
    /// than the last one seen counts as hearing from the worker, so replaying a worker's old signed announcement (which
    /// passes the signature check for as long as it is not stale) cannot keep a dead worker in the book.</param>
    public void Add(Entry entry, long? issuedAt = null)
    {
        lock (_gate)
        {
            var standing = StandingOf(entry.WorkerId);
            if (issuedAt is { } signedAt)
            {
                if (signedAt <= standing.LastIssuedAt) return;
                standing.LastIssuedAt = signedAt;
            }
            standing.Entry = entry;
            standing.LastHeard = time.GetUtcNow();
        }
    }

    /// <summary>The worker said goodbye or could not be sent to: no work until it announces itself again.</summary>
    public void Remove(string workerId)
    {
        lock (_gate)
        {
            // The standing stays (strikes, bench, last signed announcement): a goodbye must not wipe a worker's record,
            // nor let its old announcements be replayed to bring it back.
            if (_workers.TryGetValue(workerId, out var standing)) standing.Entry = null;
        }
    }

    /// <summary>The worker's last announcement, however old (its registered address outlives its liveness).</summary>
    public Entry? Find(string workerId)
    {
        lock (_gate) return _workers.GetValueOrDefault(workerId)?.Entry;
    }

    /// <summary>Workers heard from within the timeout (benched ones included), sorted by id.</summary>
    public IReadOnlyList<Entry> All()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _workers.Values.Where(s => s.Entry is not null && !IsSilent(s, now)).Select(s => s.Entry!)
                .OrderBy(e => e.WorkerId, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The workers that may be given work now: heard from within the timeout and not benched. Those heard from
    /// recently (<see cref="WorkerLiveness.Fresh"/>) come first, each group sorted by id so the order is stable.</summary>
    public IReadOnlyList<Entry> Leasable()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _workers.Values
                .Where(s => s.Entry is not null && !IsSilent(s, now) && s.BenchedUntil <= now)
                .OrderBy(s => now - s.LastHeard > liveness.Fresh)
                .ThenBy(s => s.Entry!.WorkerId, StringComparer.Ordinal)
                .Select(s => s.Entry!).ToList();
        }
    }

    /// <summary>Why the worker is not to be counted on in a run, or null: it went silent past the timeout, or it is
    /// benched. A worker the directory never heard of (e.g. before it announces itself to a restarted coordinator) is
    /// not judged here.</summary>
    public string? Unavailability(string workerId)
    {
        lock (_gate)
        {
            if (!_workers.TryGetValue(workerId, out var s) || s.Entry is null) return null;
            var now = time.GetUtcNow();
            if (IsSilent(s, now)) return $"not heard from since {s.LastHeard:O} (worker timeout {liveness.Timeout.TotalSeconds:0.#} s)";
            if (s.BenchedUntil > now) return $"benched until {s.BenchedUntil:O}";
            return null;
        }
    }

    /// <summary>A lease given to the worker ran out. It must announce itself again before it gets more work; after
    /// <see cref="WorkerLiveness.BenchAfterExpiries"/> in a row it is benched. Returns the end of a bench that began now.</summary>
    public DateTimeOffset? LeaseExpired(string workerId)
    {
        lock (_gate)
        {
            var standing = StandingOf(workerId);
            standing.Entry = null;
            if (++standing.Strikes < liveness.BenchAfterExpiries) return null;
            standing.Strikes = 0;
            var doublings = Math.Min(standing.Benches++, 30);
            var bench = TimeSpan.FromTicks(Math.Min(liveness.FirstBench.Ticks * (1L << Math.Min(doublings, 20)), liveness.MaxBench.Ticks));
            standing.BenchedUntil = time.GetUtcNow() + bench;
            return standing.BenchedUntil;
        }
    }

    /// <summary>An update of the worker's was accepted: it serves. Its strikes are cleared and one bench is forgiven,
    /// so its next cool-down (if any) is shorter again.</summary>
    public void Delivered(string workerId)
    {
        lock (_gate)
        {
            if (!_workers.TryGetValue(workerId, out var standing)) return;
            standing.Strikes = 0;
            standing.Benches = Math.Max(0, standing.Benches - 1);
        }
    }

    private Standing StandingOf(string workerId)
    {
        if (!_workers.TryGetValue(workerId, out var standing)) _workers[workerId] = standing = new Standing();
        return standing;
    }

    private bool IsSilent(Standing s, DateTimeOffset now) => now - s.LastHeard > liveness.Timeout;
}
