namespace Federated.Blobs.Http;

/// <summary>
/// The problem types the blob routes answer with, so a client can tell a corrupted blob (give up) from a
/// server that failed for another reason (worth another try) without parsing prose.
/// </summary>
public static class BlobProblems
{
    public const string MalformedHash = "urn:federated:blobs:malformed-hash";
    public const string HashMismatch = "urn:federated:blobs:hash-mismatch";
    public const string TooLarge = "urn:federated:blobs:too-large";
    public const string NotFound = "urn:federated:blobs:not-found";
    public const string Corrupted = "urn:federated:blobs:corrupted";
    public const string Unauthorized = "urn:federated:blobs:unauthorized";
    /// <summary>The credential is genuine but does not cover this request (lease closed, blob not named by the lease).</summary>
    public const string Forbidden = "urn:federated:blobs:forbidden";
    /// <summary>The lease has used its uploads or downloads; retrying will not help.</summary>
    public const string QuotaExceeded = "urn:federated:blobs:quota-exceeded";
    /// <summary>Too many transfers in progress; retry after the Retry-After header's seconds.</summary>
    public const string Busy = "urn:federated:blobs:busy";
    public const string StoreFailed = "urn:federated:blobs:store-failed";

    /// <summary>The problem extension that carries the server's size limit on a 413.</summary>
    public const string LimitExtension = "limit";
}
