using System.Security.Cryptography;

namespace Federated.Blobs.Http;

/// <summary>A body read whole into memory, with the SHA-256 of its bytes computed while they arrived.</summary>
internal sealed record CappedBody(byte[] Buffer, int Length, BlobHash Hash)
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The bytes as an array of exactly <see cref="Length"/> (a copy only when the buffer is larger).</summary>
    public byte[] ToArray() => Buffer.Length == Length ? Buffer : Buffer.AsSpan(0, Length).ToArray();

    /// <summary>
    /// Reads <paramref name="body"/> to its end; null as soon as it passes <paramref name="max"/> bytes, whatever
    /// length was declared. <paramref name="declared"/> only sizes the first buffer, so a wrong one costs no more
    /// than a resize.
    /// </summary>
    public static async Task<CappedBody?> ReadAsync(Stream body, long? declared, long max, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Math.Clamp(declared ?? ChunkBytes, 0, max)];
        var scratch = new byte[ChunkBytes];
        var length = 0;
        while (true)
        {
            if (length < buffer.Length)
            {
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                sha256.AppendData(buffer, length, read);
                length += read;
                continue;
            }

            // The buffer is full: grow it only once more bytes have actually arrived.
            var more = await body.ReadAsync(scratch, cancellationToken);
            if (more == 0) break;
            if (length + (long)more > max) return null;
            Array.Resize(ref buffer, (int)Math.Min(max, Math.Max(2L * buffer.Length, length + (long)more)));
            scratch.AsSpan(0, more).CopyTo(buffer.AsSpan(length));
            sha256.AppendData(scratch, 0, more);
            length += more;
        }
        return new CappedBody(buffer, length, BlobHash.Parse(Convert.ToHexStringLower(sha256.GetHashAndReset())));
    }
}
