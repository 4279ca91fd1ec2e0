using Federated.Domain.Rewards;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Tests.Rewards;

public class ContributionQualityScoreTests
{
    private static readonly RoundAggregated Round = new("r", 1, "base", "model", "median", 1f,
        [new AggregatedUpdate(0, "honest", "u0", 1000), new AggregatedUpdate(1, "free-rider", "u1", 1000), new AggregatedUpdate(2, "copycat", "u0", 1000)],
        new RoundMetrics(1, 1, 3000, 3, 0, 1), DateTimeOffset.UnixEpoch);

    private static ContributionScored Scored(int shard, string worker, string hash, double cosine, double score, int? copyOf = null) =>
        new("r", 1, shard, worker, hash, 1000, cosine, score, copyOf, "test-rule", DateTimeOffset.UnixEpoch);

    private static readonly ContributionScored[] Scores =
    [
        Scored(0, "honest", "u0", 0.9, 900.7),
        Scored(1, "free-rider", "u1", 0, 0),
        Scored(2, "copycat", "u0", 0.9, 0, copyOf: 0),
    ];

    [Fact]
    public void The_pool_goes_by_the_recorded_scores_so_a_free_rider_and_a_copycat_get_nothing()
    {
        var shares = RewardPolicy.Allocate(1000, Round, new ContributionQualityScore(Scores));

        Assert.Equal([("honest", 900L, "1000")], shares.Select(s => (s.WorkerId, s.Score, s.Amount.ToString())));
    }

    [Fact]
    public void A_fractional_score_counts_its_whole_part() =>
        Assert.Equal(900, new ContributionQualityScore(Scores).ScoreOf(Round.AggregatedUpdates[0]));

    [Fact]
    public void A_round_without_recorded_scores_falls_back_to_the_given_rule() =>
        Assert.Same(TokensProcessedScore.Instance, ContributionQualityScore.For([], TokensProcessedScore.Instance));

    [Fact]
    public void A_round_with_recorded_scores_is_paid_by_quality() =>
        Assert.Equal("quality", ContributionQualityScore.For(Scores, TokensProcessedScore.Instance).Name);

    [Fact]
    public void An_update_without_a_recorded_score_is_refused_naming_its_shard()
    {
        var score = new ContributionQualityScore(Scores[..1]);

        var error = Assert.Throws<DomainException>(() => score.ScoreOf(Round.AggregatedUpdates[1]));

        Assert.Equal("no recorded score for shard 1's update u1", error.Message);
    }
}
