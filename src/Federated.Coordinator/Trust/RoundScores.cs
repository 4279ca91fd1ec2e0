using Federated.Coordinator.Models;
using Federated.Domain.Aggregation;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Trust;

/// <summary>A round's contribution scores from its aggregation: the driver records them, `fed verify` recomputes them.</summary>
public static class RoundScores
{
    public static IReadOnlyList<ContributionScore> Of(RoundState round, ModelAggregation.Result aggregation)
    {
        var accepted = round.Accepted.Values.ToList(); // shard order: the order ModelAggregation was given
        var updates = accepted.Select((u, i) => new ScoredUpdate(u.ShardId, u.WorkerId, u.UpdateHash, u.Weight, OrderOf(round, u.ShardId), aggregation.Updates[i])).ToList();
        return ContributionScoring.Score(updates, aggregation.Aggregate);
    }

    /// <summary>When the shard's update was accepted relative to the others; a log from before the order was kept
    /// falls back to shard order.</summary>
    private static int OrderOf(RoundState round, int shardId)
    {
        var index = round.AcceptedOrder.IndexOf(shardId);
        return index < 0 ? round.AcceptedOrder.Count + shardId : index;
    }
}
