using System.Diagnostics;
using Federated.Blobs;
using Federated.Coordinator.Models;
using Federated.Domain.Runs;
using Federated.Engine;
using Federated.Engine.Parameters;
using Federated.Engine.Tokens;

namespace Federated.Coordinator.Trust;

/// <summary>Re-trains a sampled shard exactly as an honest worker does (same base weights, shard tokens, seed and
/// settings; training is deterministic), so its update hash and token count can be compared with the submission's.</summary>
public static class SpotChecker
{
    public static async Task<SpotCheck> RunAsync(IBlobStore blobs, RunState state, SubmitUpdate submission, int threads, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var spec = state.Spec!;
        var round = state.OpenRound ?? throw new InvalidOperationException("a spot check needs the submission's round to be open");
        var shard = round.Shard(submission.ShardId) ?? throw new InvalidOperationException($"round {round.Round} has no shard {submission.ShardId}");
        // A model of its own: spot checks run beside the driver and each other.
        var model = SpecModels.Create(spec.Model);
        var weights = ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(round.BaseModelHash), cancellationToken), model.ParameterCount);
        var tokens = ByteTokenizer.Encode(await blobs.GetAsync(BlobHash.Parse(shard.DataHash), cancellationToken));
        var options = new TrainOptions(spec.LocalSteps, spec.BatchSize, spec.LearningRate, shard.Seed) { WeightDecay = spec.WeightDecay, Threads = threads };
        var result = await Task.Run(() => model.Train(weights, tokens, options), cancellationToken);
        var hash = BlobHash.Of(ParameterCodec.Encode(result.Update));
        return new SpotCheck(hash.Hex, result.TokensProcessed, clock.Elapsed.TotalSeconds);
    }
}
