using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Federated.EventStore;

/// <summary>
/// The tamper-evident chain over the store-wide log: each event's hash covers the previous event's hash,
/// so changing, removing or reordering any stored event breaks every hash after it.
/// </summary>
/// <remarks>
/// <para><c>hash = SHA-256(previousHash || encoding)</c>, where <c>previousHash</c> is 32 bytes
/// (<see cref="Genesis"/> for global position 1) and <c>encoding</c> is, in this order:</para>
/// <list type="number">
/// <item>stream id: 4-byte big-endian length, then its UTF-8 bytes</item>
/// <item>stream version: 8-byte big-endian two's complement</item>
/// <item>global position: 8-byte big-endian two's complement</item>
/// <item>event id: its 16 bytes in RFC 9562 order (the order of the hex digits in its text form)</item>
/// <item>event type: 4-byte big-endian length, then its UTF-8 bytes</item>
/// <item>data: 4-byte big-endian length, then the bytes</item>
/// <item>metadata: 4-byte big-endian length, then the bytes (length 0 when there is none)</item>
/// <item>recorded at: UTC Unix milliseconds, 8-byte big-endian two's complement</item>
/// </list>
/// <para>Every variable-length field carries its length, so no two different events encode alike.
/// Sub-millisecond precision of the recording time is not hashed: stores keep milliseconds only.
/// Strings must be valid UTF-16 (a lone surrogate has no UTF-8 form and is refused).</para>
/// </remarks>
public static class HashChain
{
    /// <summary>Length of every hash in the chain (SHA-256).</summary>
    public const int HashSize = 32;

    // Strict: a lone surrogate would otherwise become U+FFFD and two different ids would hash alike.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The previous hash of the first event: 32 zero bytes (a fresh array on each call).</summary>
    public static byte[] Genesis => new byte[HashSize];

    /// <summary>Computes an event's hash from the previous event's hash and the event's canonical encoding.</summary>
    public static byte[] Compute(
        byte[] previousHash,
        string streamId,
        long streamVersion,
        long globalPosition,
        Guid eventId,
        string eventType,
        ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> metadata,
        DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentNullException.ThrowIfNull(eventType);
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"A previous hash is {HashSize} bytes; got {previousHash.Length}.", nameof(previousHash));
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[16];

        sha.AppendData(previousHash);
        AppendPrefixed(sha, StrictUtf8.GetBytes(streamId), scratch);
        AppendInt64(sha, streamVersion, scratch);
        AppendInt64(sha, globalPosition, scratch);
        eventId.TryWriteBytes(scratch, bigEndian: true, out _);
        sha.AppendData(scratch[..16]);
        AppendPrefixed(sha, StrictUtf8.GetBytes(eventType), scratch);
        AppendPrefixed(sha, data, scratch);
        AppendPrefixed(sha, metadata, scratch);
        AppendInt64(sha, recordedAt.ToUnixTimeMilliseconds(), scratch);

        return sha.GetHashAndReset();
    }

    /// <summary>Recomputes <paramref name="recorded"/>'s hash from its own fields and stored previous hash.</summary>
    public static byte[] Compute(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return Compute(
            recorded.PreviousHash, recorded.StreamId, recorded.StreamVersion, recorded.GlobalPosition, recorded.EventId,
            recorded.EventType, recorded.Data, recorded.Metadata, recorded.RecordedAt);
    }

    private static void AppendPrefixed(IncrementalHash sha, ReadOnlySpan<byte> bytes, Span<byte> scratch)
    {
        BinaryPrimitives.WriteUInt32BigEndian(scratch, checked((uint)bytes.Length));
        sha.AppendData(scratch[..4]);
        sha.AppendData(bytes);
    }

    private static void AppendInt64(IncrementalHash sha, long value, Span<byte> scratch)
    {
        BinaryPrimitives.WriteInt64BigEndian(scratch, value);
        sha.AppendData(scratch[..8]);
    }
}
