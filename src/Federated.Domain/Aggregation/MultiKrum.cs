namespace Federated.Domain.Aggregation;

/// <summary>
/// Multi-Krum (Blanchard et al. 2017): each update is scored by the summed squared L2 distances to its n - f - 2
/// nearest other updates; the m = n - f lowest-scored are averaged, weighted by tokens. Needs n > 2f + 2.
/// Distances are summed in double in index order and ties in score go to the lower index: the selection is exact.
/// </summary>
public sealed class MultiKrum(AggregatorSettings settings) : IAggregator
{
    public const string AggregatorName = "multi-krum";

    public MultiKrum() : this(AggregatorSettings.Default) { }

    public string Name => AggregatorName;

    public float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        var selected = Select(updates, parameterCount);
        return new FedAvg().Aggregate([.. selected.Select(k => updates[k])], parameterCount);
    }

    /// <summary>The indices of the updates Multi-Krum keeps, ascending.</summary>
    public IReadOnlyList<int> Select(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        UpdateChecks.Require(Name, updates, parameterCount);
        var n = updates.Count;
        var f = ByzantineTolerance.Resolve(Name, n, settings);
        var scores = Scores(updates, n - f - 2);
        var byScore = Enumerable.Range(0, n).ToArray();
        Array.Sort(byScore, (a, b) => scores[a] != scores[b] ? scores[a].CompareTo(scores[b]) : a.CompareTo(b));
        var kept = byScore[..(n - f)];
        Array.Sort(kept);
        return kept;
    }

    /// <summary>Krum scores: for each update, the sum of its <paramref name="neighbours"/> smallest squared distances.</summary>
    public static double[] Scores(IReadOnlyList<WeightedUpdate> updates, int neighbours)
    {
        var n = updates.Count;
        var distance = new double[n, n];
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                var d = SquaredDistance(updates[a].Values.Span, updates[b].Values.Span);
                distance[a, b] = d;
                distance[b, a] = d;
            }
        }
        var scores = new double[n];
        var row = new double[n - 1];
        for (var a = 0; a < n; a++)
        {
            var j = 0;
            for (var b = 0; b < n; b++) if (b != a) row[j++] = distance[a, b];
            Array.Sort(row);
            double score = 0;
            for (var r = 0; r < neighbours; r++) score += row[r];
            scores[a] = score;
        }
        return scores;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
