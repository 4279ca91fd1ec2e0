using Federated.Blobs.Access;

namespace Federated.Blobs.Http;

/// <summary>Settings for the blob routes that <see cref="BlobEndpoints.Map"/> adds.</summary>
public sealed record BlobEndpointOptions
{
    /// <summary>The largest upload accepted, in bytes; larger ones get 413, refused while the body streams in.</summary>
    public long MaxBlobBytes { get; init; } = DirectoryBlobStore.DefaultMaxBlobBytes;

    /// <summary>The operator's token: a request carrying <c>Authorization: Bearer &lt;token&gt;</c> may read and write any blob.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Per-lease tokens (<see cref="BlobLeaseTokens"/>): a worker may read the blobs its lease names and upload its
    /// update, no larger than the lease allows, while the lease is open. With neither this nor <see cref="AccessToken"/>
    /// the routes are open to anyone who reaches them (tests, loopback-only servers).</summary>
    public BlobLeaseAccess? LeaseAccess { get; init; }

    /// <summary>Distinct blobs one lease may store (its update, and one more should it be retrained differently).</summary>
    public int MaxUploadsPerLease { get; init; } = 2;

    /// <summary>Upload requests one lease may make, retries included; each may send at most the lease's update size.</summary>
    public int MaxUploadAttemptsPerLease { get; init; } = 6;

    /// <summary>Downloads of each blob one lease may make, retries included.</summary>
    public int MaxDownloadsPerLeaseBlob { get; init; } = 6;

    /// <summary>Transfers in progress at once, over all clients; more are answered 503 with Retry-After.</summary>
    public int MaxConcurrentTransfers { get; init; } = 32;

    /// <summary>Transfers in progress at once per credential (per address when there is none).</summary>
    public int MaxConcurrentTransfersPerClient { get; init; } = 4;

    /// <summary>What a 503 for a busy server tells the client to wait (Retry-After, whole seconds).</summary>
    public TimeSpan BusyRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    internal bool IsOpen => AccessToken is null && LeaseAccess is null;

    internal void Validate()
    {
        if (MaxBlobBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxBlobBytes), MaxBlobBytes, "must be positive");
        if (AccessToken is not null && string.IsNullOrWhiteSpace(AccessToken))
            throw new ArgumentException("access token must be null (no authentication) or a non-blank string", nameof(AccessToken));
        foreach (var (name, value) in (ReadOnlySpan<(string, int)>)[
            (nameof(MaxUploadsPerLease), MaxUploadsPerLease), (nameof(MaxUploadAttemptsPerLease), MaxUploadAttemptsPerLease),
            (nameof(MaxDownloadsPerLeaseBlob), MaxDownloadsPerLeaseBlob), (nameof(MaxConcurrentTransfers), MaxConcurrentTransfers),
            (nameof(MaxConcurrentTransfersPerClient), MaxConcurrentTransfersPerClient)])
        {
            if (value < 1) throw new ArgumentOutOfRangeException(name, value, "must be at least 1");
        }
        if (BusyRetryAfter < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(BusyRetryAfter), BusyRetryAfter, "must be at least one second (Retry-After counts whole seconds)");
    }
}

/// <summary>How the endpoint checks lease tokens: the secret that issued them and the coordinator's open leases.</summary>
public sealed record BlobLeaseAccess(BlobLeaseTokens Tokens, IBlobLeaseDirectory Leases);
