using System.Collections.Concurrent;
using Federated.Blobs.Access;

namespace Federated.Blobs.Http;

/// <summary>
/// What each lease has done with the endpoint, against <see cref="BlobEndpointOptions"/>' quotas: upload requests,
/// distinct blobs stored, downloads per blob. A lease's quota never refills (a lease is minutes long and its worker
/// needs one download of each blob and one upload); entries of leases past their expiry are dropped as others arrive.
/// </summary>
internal sealed class LeaseUsage(BlobEndpointOptions options, TimeProvider time)
{
    private const int PruneAbove = 4096;
    private readonly ConcurrentDictionary<(string RunId, string LeaseId), Counters> _leases = new();

    /// <summary>Null when the upload may go ahead (and counts it), else why not.</summary>
    public string? TryStartUpload(BlobLease lease, BlobHash hash)
    {
        var counters = For(lease);
        lock (counters)
        {
            if (counters.UploadAttempts >= options.MaxUploadAttemptsPerLease)
                return $"lease {lease.LeaseId} has made its {options.MaxUploadAttemptsPerLease} upload attempts";
            if (!counters.Stored.Contains(hash) && counters.Stored.Count >= options.MaxUploadsPerLease)
                return $"lease {lease.LeaseId} has stored its {options.MaxUploadsPerLease} blobs";
            counters.UploadAttempts++;
            return null;
        }
    }

    /// <summary>Counts a stored blob; false when another upload of the lease filled its quota meanwhile.</summary>
    public bool RecordStored(BlobLease lease, BlobHash hash)
    {
        var counters = For(lease);
        lock (counters)
        {
            if (counters.Stored.Contains(hash)) return true;
            if (counters.Stored.Count >= options.MaxUploadsPerLease) return false;
            counters.Stored.Add(hash);
            return true;
        }
    }

    /// <summary>Null when the download may go ahead (and counts it), else why not.</summary>
    public string? TryStartDownload(BlobLease lease, BlobHash hash)
    {
        var counters = For(lease);
        lock (counters)
        {
            var done = counters.Downloads.GetValueOrDefault(hash);
            if (done >= options.MaxDownloadsPerLeaseBlob)
                return $"lease {lease.LeaseId} has downloaded blob {hash} {done} times, its limit";
            counters.Downloads[hash] = done + 1;
            return null;
        }
    }

    private Counters For(BlobLease lease)
    {
        if (_leases.Count > PruneAbove) Prune();
        return _leases.GetOrAdd((lease.RunId, lease.LeaseId), _ => new Counters(lease.ExpiresAt));
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, counters) in _leases)
            if (counters.ExpiresAt < now) _leases.TryRemove(key, out _);
    }

    private sealed class Counters(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public int UploadAttempts { get; set; }
        public HashSet<BlobHash> Stored { get; } = [];
        public Dictionary<BlobHash, int> Downloads { get; } = [];
    }
}
