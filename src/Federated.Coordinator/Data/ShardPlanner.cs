using Federated.Randomness;

namespace Federated.Coordinator.Data;

/// <summary>A shard as planned: where its window starts in the training text, and the seed its worker samples batches with.</summary>
public sealed record PlannedShard(int ShardId, int Offset, int Length, ulong Seed);

/// <summary>
/// Chooses each round's shards: windows of the training text at offsets drawn from the run seed, so the plan
/// (and therefore the trained model) depends only on the spec. Windows may overlap across rounds, as epochs do.
/// </summary>
public static class ShardPlanner
{
    public static IReadOnlyList<PlannedShard> Plan(ulong runSeed, int round, int shards, int shardTokens, int trainLength)
    {
        var length = Math.Min(shardTokens, trainLength);
        var span = trainLength - length + 1;
        var result = new List<PlannedShard>(shards);
        for (var s = 0; s < shards; s++)
        {
            var rng = new SplitMix64(SplitMix64.Derive(runSeed, 1, (ulong)round, (ulong)s));
            result.Add(new PlannedShard(s, rng.NextInt(span), length, rng.Next()));
        }
        return result;
    }
}
