using System.Numerics;
using Federated.Domain.Rewards;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Tests.Rewards;

/// <summary>Known answers for the largest-remainder split, worked out by hand in the comments.</summary>
public class RewardPolicyTests
{
    private static IReadOnlyList<(string, string)> Split(BigInteger pool, params (string Worker, long Score)[] scores) =>
        [.. RewardPolicy.Allocate(pool, scores).Select(s => (s.WorkerId, s.Amount.ToString()))];

    [Fact]
    public void Equal_scores_give_the_leftover_unit_to_the_first_worker_id()
    {
        // 100 / 3 = 33 each, remainders all 1: the one unit left goes to "a" (ordinal order).
        Assert.Equal([("a", "34"), ("b", "33"), ("c", "33")], Split(100, ("c", 1), ("b", 1), ("a", 1)));
    }

    [Fact]
    public void Leftover_units_go_to_the_largest_remainders()
    {
        // 1000 * 16384/57344 = 285.71, * 32768/57344 = 571.43, * 8192/57344 = 142.86: floors sum to 998,
        // the 2 units left go to w3 (.86) and w1 (.71).
        Assert.Equal([("w1", "286"), ("w2", "571"), ("w3", "143")], Split(1000, ("w1", 16384), ("w2", 32768), ("w3", 8192)));
    }

    [Fact]
    public void A_pool_of_100_tokens_in_base_units_splits_exactly()
    {
        Assert.Equal([("worker-1", "33333333333333333334"), ("worker-2", "33333333333333333333"), ("worker-3", "33333333333333333333")],
            Split(BigInteger.Parse(RewardSpec.DefaultPoolPerRound), ("worker-2", 7), ("worker-1", 7), ("worker-3", 7)));
    }

    [Fact]
    public void Shares_always_sum_to_the_pool()
    {
        var pool = BigInteger.Parse("79228162514264337593543950335"); // 2^96 - 1
        var scores = Enumerable.Range(1, 37).Select(i => ($"w{i:D2}", (long)(i * 7919 % 1013 + 1))).ToArray();

        Assert.Equal(pool, RewardPolicy.Allocate(pool, scores).Aggregate(BigInteger.Zero, (sum, s) => sum + s.Amount));
    }

    [Fact]
    public void Workers_whose_share_rounds_to_nothing_are_left_out()
    {
        Assert.Equal([("a", "1")], Split(1, ("a", 1), ("b", 1), ("c", 1)));
    }

    [Fact]
    public void A_zero_score_gets_nothing()
    {
        Assert.Equal([("b", "10")], Split(10, ("a", 0), ("b", 5)));
    }

    [Fact]
    public void No_positive_score_pays_nobody()
    {
        Assert.Empty(Split(10, ("a", 0)));
    }

    [Fact]
    public void A_negative_score_is_refused_by_name()
    {
        var error = Assert.Throws<DomainException>(() => RewardPolicy.Allocate(10, [("a", -1)]));

        Assert.Equal("worker a has a negative score -1", error.Message);
    }

    [Fact]
    public void A_round_scores_each_worker_by_the_tokens_of_all_its_accepted_updates()
    {
        var round = new RoundAggregated("r", 1, "base", "model", "fedavg", 1f,
            [new AggregatedUpdate(0, "w1", "u0", 100), new AggregatedUpdate(1, "w2", "u1", 100), new AggregatedUpdate(2, "w1", "u2", 200)],
            new RoundMetrics(1, 1, 400, 2, 0, 1), DateTimeOffset.UnixEpoch);

        var shares = RewardPolicy.Allocate(400, round, TokensProcessedScore.Instance);

        Assert.Equal([("w1", 300L, "300"), ("w2", 100L, "100")], shares.Select(s => (s.WorkerId, s.Score, s.Amount.ToString())));
    }
}

public class RewardSpecTests
{
    [Fact]
    public void The_default_pool_is_100_tokens_of_18_decimals() =>
        Assert.Equal(BigInteger.Pow(10, 20), new RunSpec().Rewards.Pool());

    [Theory]
    [InlineData("12abc", "rewards.poolPerRound: must be a whole number of base units written with digits only, got '12abc'")]
    [InlineData("-5", "rewards.poolPerRound: must be a whole number of base units written with digits only, got '-5'")]
    [InlineData("79228162514264337593543950336", "rewards.poolPerRound: must be at most 2^96-1 (79228162514264337593543950335) base units, the largest amount one payout can carry, got 79228162514264337593543950336")]
    public void A_bad_pool_is_refused_naming_the_field(string pool, string message)
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpecValidator.Validate(new RunSpec { Rewards = new RewardSpec(pool) }));

        Assert.Equal(message, error.Message);
    }
}
