using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Rewards;

/// <summary>
/// Scores a contribution by the quality score the coordinator recorded for it at aggregation
/// (<see cref="ContributionScored"/>: max(0, cosine with the robust aggregate) x tokens, 0 for a copy), rounded down
/// to a whole number so allocation stays exact. A free rider or a copycat scores 0 and is paid nothing.
/// </summary>
public sealed class ContributionQualityScore : IContributionScore
{
    private readonly Dictionary<int, ContributionScored> _byShard;

    public ContributionQualityScore(IEnumerable<ContributionScored> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        _byShard = [];
        foreach (var s in scores)
        {
            if (!_byShard.TryAdd(s.ShardId, s)) throw new DomainException($"round {s.Round} has two scores for shard {s.ShardId}");
        }
    }

    public string Name => "quality";

    public long ScoreOf(AggregatedUpdate update)
    {
        if (!_byShard.TryGetValue(update.ShardId, out var scored) || scored.UpdateHash != update.UpdateHash)
            throw new DomainException($"no recorded score for shard {update.ShardId}'s update {update.UpdateHash}");
        return double.IsFinite(scored.Score) && scored.Score > 0 ? (long)Math.Floor(scored.Score) : 0;
    }

    /// <summary>The rule a round is paid by: its recorded quality scores when it has them (every round aggregated since
    /// scoring exists), else <paramref name="fallback"/> (rounds of older logs). Payer and verifier both ask here.</summary>
    public static IContributionScore For(IReadOnlyList<ContributionScored> roundScores, IContributionScore fallback) =>
        roundScores.Count > 0 ? new ContributionQualityScore(roundScores) : fallback;
}
