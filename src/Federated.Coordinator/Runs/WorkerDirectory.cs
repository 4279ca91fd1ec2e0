using System.Collections.Concurrent;

namespace Federated.Coordinator.Runs;

/// <summary>Workers the coordinator can reach now: where to send them work. Not evented: membership in a
/// run is (WorkerJoined / WorkerLeft); this is only the address book, rebuilt as workers announce themselves.</summary>
public sealed class WorkerDirectory
{
    /// <param name="Address">The address the worker proved it holds, or null for an unsigned worker.</param>
    public sealed record Entry(string WorkerId, string Endpoint, int Threads, string? Address = null);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Add(Entry entry) => _entries[entry.WorkerId] = entry;

    public void Remove(string workerId) => _entries.TryRemove(workerId, out _);

    public Entry? Find(string workerId) => _entries.GetValueOrDefault(workerId);

    /// <summary>Sorted by id, so assignment order is the same on every run.</summary>
    public IReadOnlyList<Entry> All() => _entries.Values.OrderBy(e => e.WorkerId, StringComparer.Ordinal).ToList();
}
