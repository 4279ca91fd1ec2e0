using System.Collections.Concurrent;
using Federated.Blobs.Access;

namespace Federated.Blobs.Http.Tests;

/// <summary>The coordinator's side of lease access as the endpoint sees it: leases a test opens and closes, open until
/// their expiry (the real one, over a run's state, is tested in Federated.Coordinator.Tests).</summary>
internal sealed class TestLeases : IBlobLeaseDirectory
{
    private readonly ConcurrentDictionary<(string, string), BlobLease> _leases = new();

    public BlobLeaseTokens Tokens { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(BlobLeaseTokens.SecretBytes));

    /// <summary>Opens a lease for <paramref name="workerId"/> over <paramref name="readable"/> and returns its token.</summary>
    public string Open(string leaseId, string workerId, long maxUploadBytes, TimeSpan? lifetime = null, params BlobHash[] readable)
    {
        var lease = new BlobLease("run-1", leaseId, workerId, readable.ToHashSet(), maxUploadBytes, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromMinutes(5)));
        _leases[(lease.RunId, leaseId)] = lease;
        return Tokens.Issue(lease.RunId, leaseId, workerId);
    }

    public void Close(string leaseId) => _leases.TryRemove(("run-1", leaseId), out _);

    public BlobLease? FindOpenLease(string runId, string leaseId) =>
        _leases.TryGetValue((runId, leaseId), out var lease) && lease.ExpiresAt > DateTimeOffset.UtcNow ? lease : null;
}
