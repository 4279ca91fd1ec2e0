namespace Federated.Domain.Aggregation;

/// <summary>One accepted update of a round, as scoring sees it.</summary>
/// <param name="AcceptedOrder">0 for the round's first accepted update, 1 for the next, ...: who sent an update first.</param>
public sealed record ScoredUpdate(int ShardId, string WorkerId, string UpdateHash, long Tokens, int AcceptedOrder, ReadOnlyMemory<float> Values);

/// <param name="Cosine">Cosine similarity of the update with the round's aggregate, in [-1, 1] (0 for a zero vector).</param>
/// <param name="Score">max(0, Cosine) x Tokens, or 0 for a copy: the worker's share of the round's reward is Score / sum of Scores.</param>
/// <param name="CopyOf">The shard whose identical update was accepted earlier in the round, for a copy.</param>
public sealed record ContributionScore(int ShardId, string WorkerId, string UpdateHash, long Tokens, double Cosine, double Score, int? CopyOf);

/// <summary>
/// How much each accepted update helped its round: agreement with the (robust) aggregate, clipped at zero, times the
/// tokens it was trained on. A zero update (free rider) has no direction and scores 0; an update opposed to the
/// aggregate scores 0; the second and later copies of the same update bytes (same hash) in a round score 0, the first
/// accepted keeps its score. Pure and deterministic: sums in double, in shard order.
/// </summary>
public static class ContributionScoring
{
    public const string Rule = "cosine-to-aggregate-x-tokens";

    public static IReadOnlyList<ContributionScore> Score(IReadOnlyList<ScoredUpdate> updates, ReadOnlySpan<float> aggregate)
    {
        var aggregateNorm = Math.Sqrt(Dot(aggregate, aggregate));
        var firstByHash = new Dictionary<string, ScoredUpdate>(StringComparer.Ordinal);
        foreach (var u in updates.OrderBy(u => u.AcceptedOrder))
            firstByHash.TryAdd(u.UpdateHash, u);
        var scores = new List<ContributionScore>(updates.Count);
        foreach (var u in updates.OrderBy(u => u.ShardId))
        {
            if (u.Values.Length != aggregate.Length)
                throw new ArgumentException($"update of shard {u.ShardId} has {u.Values.Length} values, the aggregate {aggregate.Length}");
            var norm = Math.Sqrt(Dot(u.Values.Span, u.Values.Span));
            var cosine = norm == 0 || aggregateNorm == 0 ? 0 : Math.Clamp(Dot(u.Values.Span, aggregate) / (norm * aggregateNorm), -1, 1);
            var original = firstByHash[u.UpdateHash];
            int? copyOf = original.ShardId == u.ShardId ? null : original.ShardId;
            var score = copyOf is null ? Math.Max(0, cosine) * u.Tokens : 0;
            scores.Add(new ContributionScore(u.ShardId, u.WorkerId, u.UpdateHash, u.Tokens, cosine, score, copyOf));
        }
        return scores;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
