using System.Security.Cryptography;

namespace Federated.EventStore.Tests;

public sealed class HashChainTests
{
    private static readonly Guid FirstId = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");
    private static readonly DateTimeOffset At = new(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero); // Unix ms 1704164645678

    [Fact]
    public void Genesis_is_32_zero_bytes()
    {
        Assert.Equal(new byte[32], HashChain.Genesis);
    }

    [Fact]
    public void The_hash_is_sha256_over_the_previous_hash_and_the_documented_encoding()
    {
        // The encoding spelled out field by field, as docs/architecture.md describes it.
        var expected = SHA256.HashData(Concat(
            new byte[32],                                  // previous hash
            Hex("00000005"), "run-1"u8.ToArray(),          // stream id
            Hex("0000000000000000"),                       // stream version 0
            Hex("0000000000000001"),                       // global position 1
            Hex("0123456789abcdef0123456789abcdef"),       // event id, RFC 9562 byte order
            Hex("0000000e"), "RunLaunched.V1"u8.ToArray(), // event type
            Hex("00000007"), """{"a":1}"""u8.ToArray(),    // data
            Hex("00000000"),                               // metadata (none)
            Hex("0000018cc820db2e")));                     // recorded at, Unix ms

        Assert.Equal(expected, First());
    }

    [Fact]
    public void The_first_events_hash_matches_the_known_answer()
    {
        // Produced independently: Python's hashlib.sha256 over the bytes built with struct.pack,
        // and checked with `xxd -r -p | sha256sum` on the same hex.
        Assert.Equal("86f636b542e5e2b1a195aac4a32bc6f4c816c4ac111ed46530da2be7ea9352da", Convert.ToHexStringLower(First()));
    }

    [Fact]
    public void A_chained_event_with_utf8_and_metadata_matches_the_known_answer()
    {
        // Same Python script: previous = the first hash, stream "rün-2" (ü is 2 bytes in UTF-8).
        var hash = HashChain.Compute(
            First(), "r\u00fcn-2", 7, 2, Guid.Parse("fedcba98-7654-3210-fedc-ba9876543210"), "RoundClosed.V1",
            """{"loss":"NaN"}"""u8, """{"by":"w"}"""u8, At.AddMilliseconds(1));

        Assert.Equal("bed818733dd8bda9d50cc34438c046484c60487c11f3d8a63b0a74530071a9b0", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void An_event_larger_than_the_stack_buffer_matches_the_known_answer()
    {
        // Python: previous = 32 x 0x11, stream "big-stream", version 3, position 42, id 00112233-...-eeff (big-endian),
        // type "Big.V1", data = bytes(i % 251 for i in range(5000)), metadata {"m":1}, recorded at 1700000000123 ms.
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray();
        var hash = HashChain.Compute(
            Enumerable.Repeat((byte)0x11, 32).ToArray(), "big-stream", 3, 42, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), "Big.V1",
            data, """{"m":1}"""u8, DateTimeOffset.FromUnixTimeMilliseconds(1700000000123));

        Assert.Equal("096b512c67dd07fb89eb7bfbe2c6ebb06900ae54420bd08ee888f123a1bc9d9c", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Moving_bytes_between_data_and_metadata_changes_the_hash()
    {
        var a = HashChain.Compute(HashChain.Genesis, "s", 0, 1, FirstId, "T", "ab"u8, "c"u8, At);
        var b = HashChain.Compute(HashChain.Genesis, "s", 0, 1, FirstId, "T", "a"u8, "bc"u8, At);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("previousHash")]
    [InlineData("streamId")]
    [InlineData("streamVersion")]
    [InlineData("globalPosition")]
    [InlineData("eventId")]
    [InlineData("eventType")]
    [InlineData("data")]
    [InlineData("metadata")]
    [InlineData("recordedAt")]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var previous = field == "previousHash" ? Enumerable.Repeat((byte)1, 32).ToArray() : HashChain.Genesis;
        var changed = HashChain.Compute(
            previous,
            field == "streamId" ? "run-2" : "run-1",
            field == "streamVersion" ? 1 : 0,
            field == "globalPosition" ? 2 : 1,
            field == "eventId" ? Guid.Empty : FirstId,
            field == "eventType" ? "RunLaunched.V2" : "RunLaunched.V1",
            field == "data" ? """{"a":2}"""u8 : """{"a":1}"""u8,
            field == "metadata" ? "{}"u8 : ""u8,
            field == "recordedAt" ? At.AddMilliseconds(1) : At);

        Assert.NotEqual(First(), changed);
    }

    [Fact]
    public void Sub_millisecond_differences_in_recording_time_are_not_hashed()
    {
        var later = HashChain.Compute(HashChain.Genesis, "run-1", 0, 1, FirstId, "RunLaunched.V1", """{"a":1}"""u8, ""u8, At.AddTicks(9999));

        Assert.Equal(First(), later);
    }

    [Fact]
    public void A_previous_hash_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => HashChain.Compute(new byte[31], "s", 0, 1, FirstId, "T", ""u8, ""u8, At));
    }

    [Fact]
    public void A_stream_id_with_a_lone_surrogate_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => HashChain.Compute(HashChain.Genesis, "s\ud800", 0, 1, FirstId, "T", ""u8, ""u8, At));
    }

    private static byte[] First() =>
        HashChain.Compute(HashChain.Genesis, "run-1", 0, 1, FirstId, "RunLaunched.V1", """{"a":1}"""u8, ""u8, At);

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
