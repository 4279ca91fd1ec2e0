using System.Security.Cryptography;

namespace Federated.Blobs;

/// <summary>
/// The embedded default: one file per blob under <c>root/ab/abcdef...</c>. Writes go to a temporary file
/// that is flushed and renamed, so a crash never leaves a partial blob under its final name.
/// </summary>
public sealed class DirectoryBlobStore : IStreamingBlobStore
{
    public const long DefaultMaxBlobBytes = 1L << 30;
    private const string TemporarySuffix = ".tmp";
    private const int CopyBufferBytes = 64 * 1024;

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
        if (await HoldsIntactAsync(path, hash, content.Length, cancellationToken))
        {
            MarkUsed(path);
            return hash;
        }

        var temp = NewTemporaryPath(path);
        try
        {
            await using (var stream = NewTemporaryFile(temp))
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

    public async Task<StoredBlob> PutAsync(Stream content, BlobHash expected, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = Math.Min(maxBytes, _maxBlobBytes);
        var path = PathOf(expected);
        var temp = NewTemporaryPath(path);
        try
        {
            long length = 0;
            BlobHash actual;
            await using (var file = NewTemporaryFile(temp))
            {
                using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[CopyBufferBytes];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    // Refused as soon as the cap is passed: a hostile body costs at most the cap in disk, never in memory.
                    if (length > limit) throw BlobTooLargeException.WhileStreaming(length, limit);
                    sha256.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                actual = BlobHash.Parse(Convert.ToHexStringLower(sha256.GetHashAndReset()));
                if (actual != expected) throw new BlobHashMismatchException(expected, actual, length);
                file.Flush(flushToDisk: true);
            }
            var existed = File.Exists(path);
            // Replacing an existing copy is cheap and mends one that was damaged; readers holding the old file keep it.
            File.Move(temp, path, overwrite: true);
            return new StoredBlob(expected, length, existed);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public async Task<Stream> OpenReadAsync(BlobHash hash, CancellationToken cancellationToken = default)
    {
        var path = PathOf(hash);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(hash, _root);
        }
        try
        {
            if (stream.Length > _maxBlobBytes) throw new BlobCorruptedException(hash, _root, $"file is {stream.Length} bytes, over the limit of {_maxBlobBytes}");
            // Checked through the same handle that is then served, so a file swapped in between cannot slip through.
            var actual = BlobHash.Parse(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)));
            if (actual != hash) throw new BlobCorruptedException(hash, _root, $"content hashes to {actual}");
            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when the file already holds exactly this blob; a damaged copy is rewritten rather than kept.</summary>
    private static async Task<bool> HoldsIntactAsync(string path, BlobHash hash, long length, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != length) return false;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.Asynchronous);
            return BlobHash.Parse(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken))) == hash;
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

    /// <summary>Every file in the store with when it was last written (or stored again): blobs under their hash, and
    /// temporary files of writes in progress or cut short (<see cref="StoredFile.Hash"/> null). For the collector.</summary>
    public IEnumerable<StoredFile> ListFiles()
    {
        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                var info = new FileInfo(path);
                if (!info.Exists) continue; // deleted since it was listed
                var name = info.Name;
                if (BlobHash.TryParse(name, out var hash) && name[..2] == Path.GetFileName(folder))
                    yield return new StoredFile(path, hash, info.Length, info.LastWriteTimeUtc);
                else if (name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
                    yield return new StoredFile(path, null, info.Length, info.LastWriteTimeUtc);
            }
        }
    }

    /// <summary>Deletes a file <see cref="ListFiles"/> returned, unless it was written again after
    /// <paramref name="unchangedSince"/> (stored anew since it was listed). True when it was deleted.</summary>
    public bool Delete(StoredFile file, DateTime unchangedSince)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!Path.GetFullPath(file.Path).StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{file.Path} is not in the store at {_root}", nameof(file));
        var info = new FileInfo(file.Path);
        if (!info.Exists || info.LastWriteTimeUtc > unchangedSince) return false;
        info.Delete();
        return true;
    }

    private static string NewTemporaryPath(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}";
    }

    private static FileStream NewTemporaryFile(string temp) =>
        new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous);

    /// <summary>A blob stored again is in use again: its write time restarts the collector's grace period.</summary>
    private static void MarkUsed(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (IOException) { } // best effort: at worst the blob's grace period counts from its first write
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A file in a <see cref="DirectoryBlobStore"/>: a blob (with its hash) or a temporary file (hash null).</summary>
public sealed record StoredFile(string Path, BlobHash? Hash, long Size, DateTime LastWriteUtc);
