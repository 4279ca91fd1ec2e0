namespace Federated.Domain.Aggregation;

/// <summary>An update with its aggregation weight (the tokens it was trained on).</summary>
public sealed record WeightedUpdate(ReadOnlyMemory<float> Values, long Weight);

/// <summary>Combines a round's accepted updates into one. Implementations are pure and deterministic:
/// the same updates in the same order give the same bytes.</summary>
public interface IAggregator
{
    string Name { get; }

    float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount);
}

public static class Aggregators
{
    public static IAggregator Create(string name) => name switch
    {
        "fedavg" => new FedAvg(),
        _ => throw new ArgumentException($"unknown aggregator '{name}'", nameof(name)),
    };

    /// <summary>The outer step: next = base + outerLearningRate * aggregate.</summary>
    public static float[] ApplyOuterStep(ReadOnlySpan<float> baseWeights, ReadOnlySpan<float> aggregate, float outerLearningRate)
    {
        if (baseWeights.Length != aggregate.Length)
            throw new ArgumentException($"aggregate has {aggregate.Length} values, model has {baseWeights.Length}");
        var next = new float[baseWeights.Length];
        for (var i = 0; i < next.Length; i++) next[i] = baseWeights[i] + outerLearningRate * aggregate[i];
        return next;
    }
}
