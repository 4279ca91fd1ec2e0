namespace Federated.Blobs;

/// <summary>
/// A store that takes in and hands out blobs as streams, so a server relaying them never holds a whole blob in
/// memory: a 100 MB model costs a 64 KiB buffer per transfer, not 100 MB.
/// </summary>
public interface IStreamingBlobStore : IBlobStore
{
    /// <summary>Stores the bytes read from <paramref name="content"/> under <paramref name="expected"/>, hashing them as
    /// they arrive. Throws <see cref="BlobTooLargeException"/> as soon as more than <paramref name="maxBytes"/> arrive and
    /// <see cref="BlobHashMismatchException"/> when they hash to something else; either way nothing is stored.</summary>
    Task<StoredBlob> PutAsync(Stream content, BlobHash expected, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for reading, positioned at its start, after checking its whole content against the hash.
    /// Throws <see cref="BlobNotFoundException"/> or <see cref="BlobCorruptedException"/>.</summary>
    Task<Stream> OpenReadAsync(BlobHash hash, CancellationToken cancellationToken = default);
}

/// <summary>A blob as stored: its hash, its size and whether the store held it already.</summary>
public sealed record StoredBlob(BlobHash Hash, long Size, bool Existed);

public sealed class BlobHashMismatchException(BlobHash expected, BlobHash actual, long size)
    : BlobStoreException($"upload for blob {expected} ({size} bytes) hashes to {actual}; nothing was stored")
{
    public BlobHash Expected { get; } = expected;
    public BlobHash Actual { get; } = actual;
    public long Size { get; } = size;
}
