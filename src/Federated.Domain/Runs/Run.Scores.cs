using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

/// <summary>Contribution scores: computed by the application from the update bytes, checked here against the round.</summary>
public static partial class Run
{
    private static IEnumerable<object> ScoredEvents(AggregateRound c, RunState state, RoundState round, DateTimeOffset now)
    {
        if (c.Scores is not { } scores) return [];
        var expected = round.Accepted.Values.Select(u => (u.ShardId, u.WorkerId, u.UpdateHash, u.Weight));
        var given = scores.OrderBy(s => s.ShardId).Select(s => (s.ShardId, s.WorkerId, s.UpdateHash, s.Tokens));
        if (!expected.SequenceEqual(given))
            throw new DomainException($"round {round.Round} scores must cover exactly its accepted updates, with their workers, hashes and tokens");
        if (scores.Any(s => !double.IsFinite(s.Score) || s.Score < 0 || !double.IsFinite(s.Cosine)))
            throw new DomainException($"round {round.Round} scores must be finite and not negative");
        return scores.OrderBy(s => s.ShardId).Select(s => (object)new ContributionScored(state.RunId, round.Round, s.ShardId, s.WorkerId,
            s.UpdateHash, s.Tokens, s.Cosine, s.Score, s.CopyOf, Aggregation.ContributionScoring.Rule, now));
    }
}
