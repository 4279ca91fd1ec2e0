using System.Buffers.Binary;

namespace Federated.Testing;

/// <summary>
/// Seeded mutations of a valid input, for decoders that must refuse bad bytes with their own exception and never
/// crash or over-allocate: bit flips, boundary bytes, truncation, extension, cut and duplicated ranges, and 32- or
/// 64-bit fields overwritten with huge values (the "declared length" attack). The same seed gives the same cases.
/// </summary>
public static class HostileBytes
{
    private static readonly byte[] Boundary = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'{', (byte)'[', (byte)'-', (byte)'9'];

    public static IEnumerable<byte[]> Mutations(byte[] valid, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++) yield return Mutate(valid, random);
    }

    public static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds && bytes.Length > 0; r++)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(8))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = Boundary[random.Next(Boundary.Length)]; break;
                case 2: bytes = bytes[..at]; break;
                case 3: bytes = [.. bytes, .. RandomBytes(random, 1 + random.Next(64))]; break;
                case 4: bytes = [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + 1 + random.Next(16))..]]; break;
                case 5: bytes = [.. bytes[..at], .. bytes[at..Math.Min(bytes.Length, at + 1 + random.Next(16))], .. bytes[at..]]; break;
                case 6 when at + 4 <= bytes.Length: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), HugeU32(random)); break;
                case 7 when at + 8 <= bytes.Length: BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), HugeU64(random)); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }
        return bytes;
    }

    private static uint HugeU32(Random random) => random.Next(3) switch { 0 => uint.MaxValue, 1 => 0x8000_0000u, _ => (uint)random.Next() | 0x4000_0000u };

    private static ulong HugeU64(Random random) => random.Next(3) switch { 0 => ulong.MaxValue, 1 => 1UL << 40, _ => 1UL << 63 };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Bytes allocated on this thread while <paramref name="action"/> runs (whatever it throws).</summary>
    public static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try { action(); }
        catch (Exception) { /* the caller asserts on the exception separately */ }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
