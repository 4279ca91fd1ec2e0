namespace Federated.Domain.Aggregation;

/// <summary>
/// Coordinate-wise trimmed mean: for every parameter, drop the t largest and t smallest values and take the
/// token-weighted mean of the rest. t is f when the settings state it, otherwise floor(TrimFraction * n)
/// (TrimFraction defaults to 0.25). Ties are ordered by update index, so the result never depends on the sort.
/// </summary>
public sealed class TrimmedMean(AggregatorSettings settings) : IAggregator
{
    public const string AggregatorName = "trimmed-mean";
    public const double DefaultTrimFraction = 0.25;

    public TrimmedMean() : this(AggregatorSettings.Default) { }

    public string Name => AggregatorName;

    /// <summary>How many values are dropped at each end of a coordinate among <paramref name="updates"/>.</summary>
    public int TrimCount(int updates)
    {
        if (settings.ByzantineWorkers is not null) return ByzantineTolerance.Resolve(Name, updates, settings);
        var fraction = settings.TrimFraction ?? DefaultTrimFraction;
        if (double.IsNaN(fraction) || fraction < 0 || fraction >= 0.5)
            throw new ArgumentException($"{Name}: trim fraction must be in [0, 0.5), got {fraction}", nameof(settings));
        return (int)Math.Floor(fraction * updates);
    }

    public float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        UpdateChecks.Require(Name, updates, parameterCount);
        var n = updates.Count;
        var trim = TrimCount(n);
        var result = new float[parameterCount];
        var column = new float[n];
        var order = new int[n];
        for (var i = 0; i < parameterCount; i++)
        {
            UpdateChecks.Column(updates, i, column);
            for (var k = 0; k < n; k++) order[k] = k;
            order.AsSpan().Sort(new UpdateChecks.ByValueThenIndex(column));
            double sum = 0, weight = 0;
            for (var r = trim; r < n - trim; r++)
            {
                var k = order[r];
                sum += (double)updates[k].Weight * column[k];
                weight += updates[k].Weight;
            }
            result[i] = (float)(sum / weight);
        }
        return result;
    }
}
