using Federated.Blobs;
using Federated.Domain.Aggregation;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Runs;

/// <summary>The next model of a round: base + outer step of the aggregated updates. The coordinator and
/// `fed verify` both call this, so a replay computes exactly what the run computed.</summary>
public static class ModelAggregation
{
    /// <param name="Aggregate">The aggregated update, before the outer step.</param>
    /// <param name="Updates">The decoded updates, in the order given.</param>
    public sealed record Result(float[] Weights, byte[] Bytes, BlobHash Hash, float[] Aggregate, IReadOnlyList<float[]> Updates);

    public static async Task<Result> ComputeAsync(
        IBlobStore blobs, string baseModelHash, IReadOnlyList<(string UpdateHash, long Weight)> updates,
        int parameterCount, string aggregator, AggregatorSettings settings, float outerLearningRate, CancellationToken cancellationToken = default)
    {
        var baseWeights = ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(baseModelHash), cancellationToken), parameterCount);
        var weighted = new List<WeightedUpdate>(updates.Count);
        foreach (var (hash, weight) in updates)
        {
            var values = ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(hash), cancellationToken), parameterCount);
            weighted.Add(new WeightedUpdate(values, weight));
        }
        var aggregate = Aggregators.Create(aggregator, settings).Aggregate(weighted, parameterCount);
        var next = Aggregators.ApplyOuterStep(baseWeights, aggregate, outerLearningRate);
        var bytes = ParameterCodec.Encode(next);
        return new Result(next, bytes, BlobHash.Of(bytes), aggregate, [.. weighted.Select(w => w.Values.ToArray())]);
    }
}
