using System.Diagnostics;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Engine;
using Federated.Engine.Models;
using Federated.Engine.Parameters;
using Federated.Engine.Tokens;

namespace Federated.Worker;

/// <summary>
/// Trains one leased shard: fetches the base weights and the shard's tokens from the blob store (verified
/// by hash), trains locally and stores the update. Deterministic: the same message gives the same update
/// bytes on any worker, which is what lets the coordinator replay and spot-check work.
/// </summary>
/// <param name="signer">The worker's identity; without one its submissions go unsigned (which a coordinator that
/// requires signed workers refuses).</param>
public sealed class ShardWorker(string workerId, IBlobStore blobs, int threads = 1, IContributionSigner? signer = null)
{
    public string WorkerId { get; } = workerId;
    public int Threads { get; } = Math.Max(1, threads);
    public IContributionSigner? Signer { get; } = signer;

    public async Task<ShardTrained> TrainAsync(TrainShard task, CancellationToken cancellationToken = default)
    {
        if (task.WorkerId != WorkerId)
            throw new InvalidOperationException($"task for worker {task.WorkerId} delivered to {WorkerId}");
        var clock = Stopwatch.StartNew();
        // The lease's own credential: the blob server lets it read this task's blobs and store its update, nothing else.
        var store = task.BlobToken is { Length: > 0 } token && blobs is ICredentialedBlobStore remote ? remote.WithCredential(token) : blobs;
        var model = ModelFactory.Create(new ModelConfig(task.ModelFamily, task.ModelSettings));
        var weightBytes = await store.GetAsync(BlobHash.Parse(task.BaseModelHash), cancellationToken);
        var weights = ParameterCodec.Decode(weightBytes, model.ParameterCount);
        var data = await store.GetAsync(BlobHash.Parse(task.ShardDataHash), cancellationToken);
        var tokens = ByteTokenizer.Encode(data);

        var options = new TrainOptions(task.LocalSteps, task.BatchSize, task.LearningRate, task.Seed)
        {
            WeightDecay = task.WeightDecay,
            Threads = Threads,
        };
        var result = await Task.Run(() => model.Train(weights, tokens, options), cancellationToken);
        // A diverged training (a NaN loss cannot even be serialised into ShardTrained) is reported as a failed shard,
        // which hands the lease back, instead of crashing the publish or sending a model that is not a number.
        var nonFinite = FlatOps.IndexOfNonFinite(result.Update);
        if (!float.IsFinite(result.MeanLoss) || nonFinite >= 0)
            throw new TrainingDivergedException(task.Round, task.ShardId, result.MeanLoss, nonFinite);
        var updateHash = await store.PutAsync(ParameterCodec.Encode(result.Update), cancellationToken);

        var trained = new ShardTrained
        {
            RunId = task.RunId,
            Round = task.Round,
            ShardId = task.ShardId,
            LeaseId = task.LeaseId,
            WorkerId = WorkerId,
            UpdateHash = updateHash.Hex,
            Tokens = result.TokensProcessed,
            TrainLoss = result.MeanLoss,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
        return Signer is null ? trained : Signer.Sign(trained, task);
    }
}
