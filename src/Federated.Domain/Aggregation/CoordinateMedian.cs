namespace Federated.Domain.Aggregation;

/// <summary>
/// Coordinate-wise median, unweighted: for every parameter the middle value of the updates (the mean of the two
/// middle values when n is even). Unweighted on purpose: token counts are claimed by the workers, and a weighted
/// median would let an attacker who claims a full shard move it. Tolerates f &lt; n/2 arbitrary updates per coordinate.
/// </summary>
public sealed class CoordinateMedian(AggregatorSettings settings) : IAggregator
{
    public const string AggregatorName = "median";

    public CoordinateMedian() : this(AggregatorSettings.Default) { }

    public string Name => AggregatorName;

    public float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        UpdateChecks.Require(Name, updates, parameterCount);
        ByzantineTolerance.Resolve(Name, updates.Count, settings);
        var result = new float[parameterCount];
        var column = new float[updates.Count];
        for (var i = 0; i < parameterCount; i++)
        {
            UpdateChecks.Column(updates, i, column);
            result[i] = MedianInPlace(column);
        }
        return result;
    }

    /// <summary>The median of <paramref name="values"/>, which it sorts.</summary>
    internal static float MedianInPlace(Span<float> values)
    {
        values.Sort();
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (float)(((double)values[n / 2 - 1] + values[n / 2]) / 2);
    }
}
