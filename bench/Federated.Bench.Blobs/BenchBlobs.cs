using System.Security.Cryptography;
using Federated.Blobs;

namespace Federated.Bench.Blobs;

/// <summary>The bench's blobs: pseudo-random bytes made from an index, so client and server derive the same ones
/// without either holding one whole in memory.</summary>
internal static class BenchBlobs
{
    public static Stream Open(int index, long length) => new GeneratedStream(index, length);

    public static BlobHash HashOf(int index, long length)
    {
        using var stream = Open(index, length);
        return BlobHash.Parse(Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Download blobs are 0..n-1, upload blobs n..2n-1; the lease for transfer i is "lease-i".</summary>
    public static string LeaseId(int i) => $"lease-{i}";

    private sealed class GeneratedStream(int index, long length) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                // SplitMix-like mixing of (index, position): cheap, and no two blobs alike.
                var x = (ulong)(_position + i) * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL;
                buffer[i] = (byte)((x ^ (x >> 29)) * 0x94D049BB133111EBUL >> 56);
            }
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
