using Federated.Blobs;
using Federated.Domain.Aggregation;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Models;

/// <summary>The next model of a round: base + outer step of the aggregated updates, through the update bounds
/// (<see cref="RoundAggregation"/>). The coordinator and `fed verify` both call this, so a replay computes exactly what
/// the run computed.</summary>
public static class ModelAggregation
{
    /// <param name="Aggregate">The aggregated update, before the outer step.</param>
    /// <param name="Updates">The decoded updates, in the order given, as the workers sent them (before any clipping).</param>
    /// <param name="BaseNorm">The L2 norm of the round's base model, which the absolute update bound is relative to.</param>
    /// <param name="Clipped">The updates the relative bound shortened.</param>
    public sealed record Result(float[] Weights, byte[] Bytes, BlobHash Hash, float[] Aggregate, IReadOnlyList<float[]> Updates,
        double BaseNorm, IReadOnlyList<UpdateBounds.Clip> Clipped);

    /// <exception cref="NonFiniteModelException">The aggregate or the next model is not finite.</exception>
    public static async Task<Result> ComputeAsync(
        IBlobStore blobs, string baseModelHash, IReadOnlyList<(string UpdateHash, long Weight)> updates,
        int parameterCount, string aggregator, AggregatorSettings settings, VerificationSpec bounds, float outerLearningRate,
        CancellationToken cancellationToken = default)
    {
        var baseWeights = ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(baseModelHash), cancellationToken), parameterCount);
        var weighted = new List<WeightedUpdate>(updates.Count);
        foreach (var (hash, weight) in updates)
        {
            var values = ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(hash), cancellationToken), parameterCount);
            weighted.Add(new WeightedUpdate(values, weight));
        }
        var round = RoundAggregation.Compute(baseWeights, weighted, aggregator, settings, bounds, outerLearningRate);
        var bytes = ParameterCodec.Encode(round.Next);
        return new Result(round.Next, bytes, BlobHash.Of(bytes), round.Aggregate, [.. weighted.Select(w => w.Values.ToArray())],
            UpdateBounds.NormOf(baseWeights), round.Clipped);
    }
}
