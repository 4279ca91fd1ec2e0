namespace Federated.Domain.Aggregation;

/// <summary>
/// What the robust aggregators need beyond the updates. Every setting is optional; an unset
/// <see cref="ByzantineWorkers"/> makes each rule assume the most Byzantine updates it tolerates for the
/// number of updates it is given, so a spec that only names the aggregator is still robust.
/// </summary>
public sealed record AggregatorSettings
{
    public static AggregatorSettings Default { get; } = new();

    /// <summary>f: how many of a round's updates may come from Byzantine (arbitrarily bad) workers.</summary>
    public int? ByzantineWorkers { get; init; }

    /// <summary>trimmed-mean without f: the fraction of updates dropped at each end of every coordinate.</summary>
    public double? TrimFraction { get; init; }

    /// <summary>centered-clipping: the radius tau. Unset: the median distance of the updates from the coordinate-wise median.</summary>
    public float? ClippingRadius { get; init; }

    /// <summary>centered-clipping: how many clipping steps move the centre.</summary>
    public int ClippingIterations { get; init; } = 3;
}
