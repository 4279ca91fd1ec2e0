namespace Federated.Engine.ByteMlp;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded by running SplitMix64 from the seed. Fully specified, so
/// initial weights and sampled batches are the same on every runtime; System.Random's algorithm is not
/// a contract.
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> and returns the next output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, bound), unbiased (Lemire's multiply-shift with rejection).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong b = (ulong)bound;
        ulong high = Math.BigMul(NextUInt64(), b, out ulong low);
        if (low < b)
        {
            ulong threshold = (0UL - b) % b;
            while (low < threshold)
                high = Math.BigMul(NextUInt64(), b, out low);
        }
        return (int)high;
    }

    /// <summary>Uniform float in [0, 1) from the top 24 bits: every value is exactly representable.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));
}
