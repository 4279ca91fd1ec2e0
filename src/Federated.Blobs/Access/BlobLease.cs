namespace Federated.Blobs.Access;

/// <summary>
/// What one open lease may do with the blob store: read the blobs its task names (base model, shard) and upload its
/// update, no larger than <see cref="MaxUploadBytes"/> (the run's update size: header plus 4 bytes per parameter).
/// </summary>
public sealed record BlobLease(
    string RunId,
    string LeaseId,
    string WorkerId,
    IReadOnlySet<BlobHash> Readable,
    long MaxUploadBytes,
    DateTimeOffset ExpiresAt);

/// <summary>The coordinator's open leases, as the blob endpoint needs them.</summary>
public interface IBlobLeaseDirectory
{
    /// <summary>The lease when it is open now (its round open, not expired, not given back); otherwise null.</summary>
    BlobLease? FindOpenLease(string runId, string leaseId);
}
