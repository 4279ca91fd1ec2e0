namespace Federated.Blobs;

/// <summary>
/// The embedded default: one file per blob under <c>root/ab/abcdef...</c>. Writes go to a temporary file
/// that is flushed and renamed, so a crash never leaves a partial blob under its final name.
/// </summary>
public sealed class DirectoryBlobStore : IBlobStore
{
    public const long DefaultMaxBlobBytes = 1L << 30;

    private readonly string _root;
    private readonly long _maxBlobBytes;

    public DirectoryBlobStore(string root, long maxBlobBytes = DefaultMaxBlobBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _maxBlobBytes = maxBlobBytes;
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task<BlobHash> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (content.Length > _maxBlobBytes) throw new BlobTooLargeException(content.Length, _maxBlobBytes);
        var hash = BlobHash.Of(content.Span);
        var path = PathOf(hash);
        if (await HoldsIntactAsync(path, hash, content.Length, cancellationToken)) return hash;

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return hash;
    }

    /// <summary>True when the file already holds exactly this blob; a damaged copy is rewritten rather than kept.</summary>
    private static async Task<bool> HoldsIntactAsync(string path, BlobHash hash, long length, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != length) return false;
        try
        {
            return BlobHash.Of(await File.ReadAllBytesAsync(path, cancellationToken)) == hash;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async Task<byte[]> GetAsync(BlobHash hash, CancellationToken cancellationToken = default)
    {
        var path = PathOf(hash);
        if (!File.Exists(path)) throw new BlobNotFoundException(hash, _root);
        var length = new FileInfo(path).Length;
        if (length > _maxBlobBytes) throw new BlobCorruptedException(hash, _root, $"file is {length} bytes, over the limit of {_maxBlobBytes}");
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var actual = BlobHash.Of(bytes);
        if (actual != hash) throw new BlobCorruptedException(hash, _root, $"content hashes to {actual}");
        return bytes;
    }

    public Task<bool> ExistsAsync(BlobHash hash, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(hash)));

    /// <summary>Where a blob lives on disk (used by tests and `fed verify` messages).</summary>
    public string PathOf(BlobHash hash) => Path.Combine(_root, hash.Hex[..2], hash.Hex);
}
