using Federated.Randomness;

namespace Federated.Engine.Numerics;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through SplitMix64: a small, fully specified generator, so weights
/// and batches are the same on every runtime (System.Random's algorithm is not a contract). The engine's one
/// generator: initial weights, batch sampling, text sampling and the tests' random inputs all draw from it.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        _s0 = seeder.Next(); _s1 = seeder.Next(); _s2 = seeder.Next(); _s3 = seeder.Next();
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong bound = (ulong)n;
        while (true)
        {
            ulong x = NextUInt64() >> 32;
            ulong m = x * bound;
            if ((uint)m >= (uint)((0x1_0000_0000UL - bound) % bound)) return (int)(m >> 32);
        }
    }

    /// <summary>Standard normal by Marsaglia's polar method (one of the pair is kept, to keep the stream
    /// simple). It needs only log and sqrt; log is <see cref="FixedOrder.Log"/> and sqrt is exact in IEEE,
    /// so the same seed gives the same weights on every platform.</summary>
    public double NextGaussian()
    {
        while (true)
        {
            double u = 2 * NextDouble() - 1, v = 2 * NextDouble() - 1;
            double s = u * u + v * v;
            if (s >= 1 || s == 0) continue;
            return u * Math.Sqrt(-2 * FixedOrder.Log(s) / s);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
