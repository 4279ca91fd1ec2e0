namespace Federated.Domain.Aggregation;

/// <summary>How many Byzantine updates each rule tolerates among n, and the f an aggregator works with.
/// The run spec validator (at launch) and the aggregators (at aggregate time) share these rules.</summary>
public static class ByzantineTolerance
{
    /// <summary>The largest f the rule tolerates among <paramref name="updates"/> updates; -1 when it cannot run at all.</summary>
    public static int MaxFor(string aggregator, int updates) => aggregator switch
    {
        FedAvg.AggregatorName => updates >= 1 ? 0 : -1,
        MultiKrum.AggregatorName => updates >= 3 ? (updates - 3) / 2 : -1, // n > 2f + 2
        _ => (updates - 1) / 2, // median, trimmed mean, centered clipping: an honest majority, n > 2f
    };

    /// <summary>The precondition in words, e.g. "n > 2f + 2".</summary>
    public static string Requirement(string aggregator) =>
        aggregator == MultiKrum.AggregatorName ? "n > 2f + 2" : "n > 2f";

    /// <summary>The f to aggregate <paramref name="updates"/> updates with: the stated one, or the most the rule tolerates.
    /// Throws an <see cref="ArgumentException"/> naming the aggregator, n and f when the rule cannot hold.</summary>
    internal static int Resolve(string aggregator, int updates, AggregatorSettings settings)
    {
        var max = MaxFor(aggregator, updates);
        var f = settings.ByzantineWorkers ?? Math.Max(0, max);
        if (f < 0)
            throw new ArgumentException($"{aggregator}: byzantine workers must be zero or more, got f = {f}", nameof(settings));
        if (f > max)
            throw new ArgumentException($"{aggregator} needs {Requirement(aggregator)} updates, got n = {updates} with f = {f}", "updates");
        return f;
    }
}
