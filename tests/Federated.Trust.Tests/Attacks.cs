using System.Collections.Concurrent;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Randomness;
using Federated.Engine.Parameters;
using Federated.Worker;

namespace Federated.Trust.Tests;

/// <summary>What a malicious worker sends instead of its honest update.</summary>
public enum Attack
{
    /// <summary>No attacker: the clean run.</summary>
    None,
    /// <summary>-k * u: the honest update reversed and amplified.</summary>
    SignFlip,
    /// <summary>n * u: model replacement, the update boosted to outweigh the other n - 1.</summary>
    Scaled,
    /// <summary>N(0, sigma^2) per coordinate, seeded by run seed, round and shard.</summary>
    GaussianNoise,
    /// <summary>"A little is enough" (Baruch et al. 2019): mean - z * std of the round's honest updates per coordinate.</summary>
    LittleIsEnough,
    /// <summary>A zero update that claims the whole shard's tokens.</summary>
    FreeRider,
    /// <summary>Re-sends another worker's update of the same round, byte for byte (the same hash).</summary>
    Copycat,
    /// <summary>Trains its shard honestly, but from the run's initial model instead of the round's base.</summary>
    StaleBase,
}

/// <summary>
/// The f malicious workers of one run. Each wraps an honest <see cref="ShardWorker"/> and transforms what it would
/// send; all claim the full shard's tokens, the most the coordinator accepts. Colluders see every honest update of
/// the round, simulated by re-training each shard of the open round exactly as its honest worker does (training is
/// deterministic, so these are the very updates the honest workers submit).
/// </summary>
internal sealed class Adversary(TrustRun run, Attack attack, int workers, int parameterCount)
{
    public const float SignFlipFactor = 4f;
    public const float NoiseSigma = 1f;
    public const float LittleIsEnoughZ = 1.5f;

    private readonly ConcurrentDictionary<int, Lazy<Task<float[][]>>> _honestOfRound = new();

    public async Task<ShardTrained> TrainAsync(ShardWorker honest, TrainShard task)
    {
        var shardTokens = (await run.Blobs.GetAsync(BlobHash.Parse(task.ShardDataHash))).Length;
        float[] update;
        ShardTrained trained;
        switch (attack)
        {
            case Attack.SignFlip:
                trained = await honest.TrainAsync(task);
                update = Scale(await UpdateOf(trained), -SignFlipFactor);
                break;
            case Attack.Scaled:
                trained = await honest.TrainAsync(task);
                update = Scale(await UpdateOf(trained), workers);
                break;
            case Attack.GaussianNoise:
                trained = await honest.TrainAsync(task);
                update = Noise(task);
                break;
            case Attack.LittleIsEnough:
                trained = await honest.TrainAsync(task);
                update = LittleIsEnough(await HonestUpdatesAsync(honest, task));
                break;
            case Attack.FreeRider:
                trained = Claim(task, "", 2f);
                update = new float[parameterCount];
                break;
            case Attack.Copycat:
                // The next shard's honest update: the same bytes, so the same hash its own worker sends.
                var shards = run.Coordinator.StateOf(task.RunId).OpenRound!.Shards;
                var victim = shards[(shards.IndexOf(shards.Single(s => s.ShardId == task.ShardId)) + 1) % shards.Length];
                trained = await honest.TrainAsync(task with { ShardId = victim.ShardId, ShardDataHash = victim.DataHash, Seed = victim.Seed });
                return trained with { ShardId = task.ShardId, Tokens = shardTokens };
            case Attack.StaleBase:
                return (await honest.TrainAsync(task with { BaseModelHash = InitialModelHash(task) })) with { Tokens = shardTokens };
            default:
                throw new InvalidOperationException($"attack {attack} has no malicious worker");
        }
        var hash = await run.Blobs.PutAsync(ParameterCodec.Encode(update));
        return trained with { UpdateHash = hash.Hex, Tokens = shardTokens };
    }

    private async Task<float[]> UpdateOf(ShardTrained trained) =>
        ParameterCodec.Decode(await run.Blobs.GetAsync(BlobHash.Parse(trained.UpdateHash)), parameterCount);

    private static float[] Scale(float[] update, float factor)
    {
        for (var i = 0; i < update.Length; i++) update[i] *= factor;
        return update;
    }

    private float[] Noise(TrainShard task)
    {
        var random = new SplitMix64(SplitMix64.Derive(task.Seed, (ulong)task.Round, (ulong)task.ShardId, 0xBAD));
        var update = new float[parameterCount];
        for (var i = 0; i < update.Length; i++)
        {
            // Box-Muller from two uniforms in (0, 1].
            var u1 = (random.Next() >> 11) * (1.0 / (1UL << 53)) + 1.0 / (1UL << 54);
            var u2 = (random.Next() >> 11) * (1.0 / (1UL << 53));
            update[i] = (float)(NoiseSigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return update;
    }

    private float[] LittleIsEnough(float[][] honest)
    {
        var update = new float[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            double sum = 0, squares = 0;
            foreach (var u in honest) { sum += u[i]; squares += (double)u[i] * u[i]; }
            var mean = sum / honest.Length;
            var std = Math.Sqrt(Math.Max(0, squares / honest.Length - mean * mean));
            update[i] = (float)(mean - LittleIsEnoughZ * std);
        }
        return update;
    }

    /// <summary>Every shard of the task's round trained honestly, computed once per round for all colluders.</summary>
    private Task<float[][]> HonestUpdatesAsync(ShardWorker honest, TrainShard task) =>
        _honestOfRound.GetOrAdd(task.Round, _ => new Lazy<Task<float[][]>>(async () =>
        {
            var updates = new List<float[]>();
            foreach (var shard in run.Coordinator.StateOf(task.RunId).OpenRound!.Shards)
            {
                var trained = await honest.TrainAsync(task with { ShardId = shard.ShardId, ShardDataHash = shard.DataHash, Seed = shard.Seed });
                updates.Add(await UpdateOf(trained));
            }
            return [.. updates];
        })).Value;

    private string InitialModelHash(TrainShard task)
    {
        var history = run.Coordinator.StateOf(task.RunId).History;
        return history.IsEmpty ? task.BaseModelHash : history[0].BaseModelHash;
    }

    private static ShardTrained Claim(TrainShard task, string updateHash, float trainLoss) => new()
    {
        RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId, WorkerId = task.WorkerId,
        UpdateHash = updateHash, Tokens = 1, TrainLoss = trainLoss,
    };
}
