using Federated.Domain.Runs;

namespace Federated.Domain.Rewards;

/// <summary>How much one accepted contribution counts towards its worker's share of a round's pool. The seam where
/// quality scores (from the trust work) replace plain token counts: a score is a non-negative whole number, so
/// allocation stays exact integer arithmetic.</summary>
public interface IContributionScore
{
    /// <summary>A stable name recorded with every allocation, e.g. "tokens".</summary>
    string Name { get; }

    long ScoreOf(RunEvents.V1.AggregatedUpdate update);
}

/// <summary>Scores a contribution by the tokens it was trained on (its aggregation weight).</summary>
public sealed class TokensProcessedScore : IContributionScore
{
    public static readonly TokensProcessedScore Instance = new();

    public string Name => "tokens";

    public long ScoreOf(RunEvents.V1.AggregatedUpdate update) => Math.Max(0, update.Weight);
}
