using Federated.Domain.Runs;

namespace Federated.Domain.Tests.Aggregation;

public class AggregatorSpecValidationTests
{
    private static readonly RunSpec Eight = new() { Workers = 8, ShardsPerRound = 8 };

    private static RunSpecException Refused(RunSpec spec) => Assert.Throws<RunSpecException>(() => RunSpecValidator.Validate(spec));

    [Fact]
    public void Multi_krum_with_too_few_shards_for_f_names_both_numbers() =>
        Assert.Equal("aggregator: multi-krum needs shardsPerRound > 2*byzantineWorkers + 2, got 5 and 2",
            Refused(Eight with { ShardsPerRound = 5, Aggregator = "multi-krum", ByzantineWorkers = 2 }).Message);

    [Fact]
    public void Median_needs_an_honest_majority_of_shards() =>
        Assert.Equal("aggregator: median needs shardsPerRound > 2*byzantineWorkers, got 8 and 4",
            Refused(Eight with { Aggregator = "median", ByzantineWorkers = 4 }).Message);

    [Fact]
    public void A_quorum_that_lets_a_round_aggregate_too_few_updates_is_refused() =>
        Assert.Equal("aggregator: multi-krum needs every aggregated round to hold > 2*byzantineWorkers + 2 updates, but quorum 0.5 of shardsPerRound 8 lets a round aggregate 4 (byzantineWorkers 1)",
            Refused(Eight with { Aggregator = "multi-krum", ByzantineWorkers = 1, Quorum = 0.5 }).Message);

    [Fact]
    public void A_robust_aggregator_without_f_must_tolerate_one_attacker() =>
        Assert.Equal("aggregator: trimmed-mean with byzantineWorkers unset must tolerate at least 1, which needs shardsPerRound > 2*byzantineWorkers with byzantineWorkers 1, got 2",
            Refused(Eight with { ShardsPerRound = 2, Aggregator = "trimmed-mean" }).Message);

    [Theory]
    [InlineData("fedavg", 1, null, null, "byzantineWorkers")]
    [InlineData("median", -1, null, null, "byzantineWorkers")]
    [InlineData("median", null, 0.2, null, "trimFraction")]
    [InlineData("trimmed-mean", 1, 0.2, null, "trimFraction")]
    [InlineData("trimmed-mean", null, 0.5, null, "trimFraction")]
    [InlineData("trimmed-mean", null, double.NaN, null, "trimFraction")]
    [InlineData("fedavg", null, null, 1f, "clippingRadius")]
    [InlineData("centered-clipping", null, null, 0f, "clippingRadius")]
    [InlineData("centered-clipping", null, null, float.PositiveInfinity, "clippingRadius")]
    public void A_setting_that_does_not_fit_the_aggregator_is_named(string aggregator, int? f, double? trim, float? radius, string field) =>
        Assert.Equal(field, Refused(Eight with { Aggregator = aggregator, ByzantineWorkers = f, TrimFraction = trim, ClippingRadius = radius }).Field);

    [Theory]
    [InlineData("median", 3)]
    [InlineData("trimmed-mean", 3)]
    [InlineData("multi-krum", 2)]
    [InlineData("centered-clipping", 3)]
    [InlineData("fedavg", 0)]
    public void The_largest_f_each_rule_tolerates_among_eight_is_valid(string aggregator, int f)
    {
        var spec = Eight with { Aggregator = aggregator, ByzantineWorkers = f };

        Assert.Same(spec, RunSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData("median")]
    [InlineData("trimmed-mean")]
    [InlineData("multi-krum")]
    [InlineData("centered-clipping")]
    public void A_robust_aggregator_without_settings_is_valid_for_eight_shards(string aggregator)
    {
        var spec = Eight with { Aggregator = aggregator };

        Assert.Same(spec, RunSpecValidator.Validate(spec));
    }
}
