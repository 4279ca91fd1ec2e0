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

public sealed class BlobTooLargeException(long size, long limit)
    : BlobStoreException($"blob of {size} bytes exceeds the store's limit of {limit} bytes");
