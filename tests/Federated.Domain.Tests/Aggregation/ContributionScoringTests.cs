using Federated.Domain.Aggregation;

namespace Federated.Domain.Tests.Aggregation;

public class ContributionScoringTests
{
    private static ScoredUpdate U(int shard, float[] values, long tokens = 100, string? hash = null, int? order = null) =>
        new(shard, $"w{shard}", hash ?? $"h{shard}", tokens, order ?? shard, values);

    private static readonly float[] Aggregate = [1, 1, 0];

    [Fact]
    public void An_update_along_the_aggregate_scores_its_tokens() =>
        Assert.Equal(100, ContributionScoring.Score([U(1, [2, 2, 0])], Aggregate).Single().Score, 9);

    [Fact]
    public void A_zero_update_scores_zero() =>
        Assert.Equal((0.0, 0.0), ContributionScoring.Score([U(1, [0, 0, 0])], Aggregate).Select(s => (s.Cosine, s.Score)).Single());

    [Fact]
    public void An_update_opposed_to_the_aggregate_scores_zero_but_keeps_its_cosine()
    {
        var score = ContributionScoring.Score([U(1, [-1, -1, 0])], Aggregate).Single();

        Assert.Equal((-1.0, 0.0), (Math.Round(score.Cosine, 9), score.Score));
    }

    [Fact]
    public void The_same_direction_on_twice_the_tokens_scores_twice()
    {
        var scores = ContributionScoring.Score([U(1, [1, 2, 0], tokens: 100), U(2, [1, 2, 0], tokens: 200, hash: "other")], Aggregate);

        Assert.Equal(2 * scores[0].Score, scores[1].Score, 9);
    }

    [Fact]
    public void A_copy_accepted_later_scores_zero_and_names_the_original_even_from_a_lower_shard()
    {
        var scores = ContributionScoring.Score([U(1, [1, 0, 0], hash: "same", order: 1), U(2, [1, 0, 0], hash: "same", order: 0)], Aggregate);

        Assert.Equal([(1, 0.0, (int?)2), (2, scores[1].Score, null)], scores.Select(s => (s.ShardId, s.Score, s.CopyOf)));
        Assert.True(scores[1].Score > 0);
    }
}
