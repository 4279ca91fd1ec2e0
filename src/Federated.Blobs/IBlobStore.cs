namespace Federated.Blobs;

/// <summary>
/// Content-addressed storage for model weights, updates and data shards. Messages and events carry only
/// the <see cref="BlobHash"/>; readers always get bytes whose hash was checked.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes (a no-op when already present) and returns their hash.</summary>
    Task<BlobHash> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Returns the bytes, verified against the hash. Throws <see cref="BlobNotFoundException"/> or
    /// <see cref="BlobCorruptedException"/>.</summary>
    Task<byte[]> GetAsync(BlobHash hash, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(BlobHash hash, CancellationToken cancellationToken = default);
}

public class BlobStoreException(string message) : Exception(message);

public sealed class BlobNotFoundException(BlobHash hash, string where)
    : BlobStoreException($"blob {hash} not found in {where}")
{
    public BlobHash Hash { get; } = hash;
}

public sealed class BlobCorruptedException(BlobHash hash, string where, string detail)
    : BlobStoreException($"blob {hash} in {where} is corrupted: {detail}")
{
    public BlobHash Hash { get; } = hash;
}

public sealed class BlobTooLargeException : BlobStoreException
{
    public BlobTooLargeException(long size, long limit)
        : this($"blob of {size} bytes exceeds the store's limit of {limit} bytes", size, limit)
    {
    }

    private BlobTooLargeException(string message, long size, long limit) : base(message)
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>A streamed body refused once <paramref name="received"/> bytes had arrived (its full size is never learnt).</summary>
    public static BlobTooLargeException WhileStreaming(long received, long limit) =>
        new($"blob sent more than the limit of {limit} bytes (refused after {received} bytes)", received, limit);

    /// <summary>The blob's size, or for a streamed body the bytes received when it was refused.</summary>
    public long Size { get; }
    public long Limit { get; }
}

/// <summary>A store reached under a credential (the coordinator's, over HTTP): the same store, acting under another one,
/// e.g. the per-lease token a task carries.</summary>
public interface ICredentialedBlobStore : IBlobStore
{
    IBlobStore WithCredential(string token);
}
