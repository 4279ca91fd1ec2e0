namespace Federated.Domain.Aggregation;

public static class Aggregators
{
    /// <summary>Every aggregator a run spec may name, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> Names =
        [FedAvg.AggregatorName, CoordinateMedian.AggregatorName, TrimmedMean.AggregatorName, MultiKrum.AggregatorName, CenteredClipping.AggregatorName];

    /// <summary>The aggregator with default settings: robust rules assume the most Byzantine updates they tolerate.</summary>
    public static IAggregator Create(string name) => Create(name, AggregatorSettings.Default);

    public static IAggregator Create(string name, AggregatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return name switch
        {
            FedAvg.AggregatorName => new FedAvg(),
            CoordinateMedian.AggregatorName => new CoordinateMedian(settings),
            TrimmedMean.AggregatorName => new TrimmedMean(settings),
            MultiKrum.AggregatorName => new MultiKrum(settings),
            CenteredClipping.AggregatorName => new CenteredClipping(settings),
            _ => throw new ArgumentException($"unknown aggregator '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
        };
    }

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
