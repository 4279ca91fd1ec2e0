using Federated.Randomness;

namespace Federated.Domain.Verification;

/// <summary>
/// Which shards the coordinator re-trains to check the submitted update: a fraction of them, chosen by the run's
/// seed, the round and the shard, so the choice is the same on every replay. Workers never see the run seed (they
/// get per-shard training seeds derived from it), so they cannot tell a sampled shard from another.
/// </summary>
public static class SpotCheckSelection
{
    private const ulong Purpose = 0x73706f74; // "spot"

    public static bool IsSampled(ulong runSeed, int round, int shardId, double sampleRate)
    {
        if (sampleRate <= 0) return false;
        if (sampleRate >= 1) return true;
        var draw = SplitMix64.Derive(runSeed, Purpose, (ulong)round, (ulong)shardId);
        return (draw >> 11) * (1.0 / (1UL << 53)) < sampleRate;
    }
}
