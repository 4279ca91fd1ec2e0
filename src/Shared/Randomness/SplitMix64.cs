namespace Federated.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator with a fully specified output sequence, so seeds
/// derived from it are the same on every platform and .NET version (System.Random makes no such promise).
/// </summary>
/// <remarks>
/// One source file, compiled into the two pure projects that need it: Federated.Domain (seeds for shard plans,
/// spot checks and demo keys) and Federated.Engine (seeding its xoshiro256** generator). Neither may reference
/// the other, nor a third project, so the file is linked into both (see src/Shared/Shared.props). The
/// declaration here carries no access modifier, so it is internal; Federated.Domain adds a public part
/// (Randomness/SplitMix64.Public.cs) and is the one assembly that exports it, which keeps the name
/// unambiguous in projects that reference both.
/// </remarks>
partial struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, bound) by rejection, so there is no modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong r;
        do r = Next(); while (r >= limit);
        return (int)(r % (ulong)bound);
    }

    /// <summary>A seed for a named purpose, e.g. Derive(runSeed, round, shard): independent streams per tuple.</summary>
    public static ulong Derive(ulong seed, params ReadOnlySpan<ulong> path)
    {
        var g = new SplitMix64(seed);
        var s = g.Next();
        foreach (var p in path)
        {
            g = new SplitMix64(s ^ (p * 0xD6E8FEB86659FD93UL + 0x9E3779B97F4A7C15UL));
            s = g.Next();
        }
        return s;
    }
}
