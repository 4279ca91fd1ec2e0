using Federated.Domain.Verification;

namespace Federated.Domain.Tests.Verification;

public class SpotCheckSelectionTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Over_ten_thousand_shards_the_sampled_fraction_is_the_rate_within_one_percent(double rate)
    {
        var sampled = 0;
        for (var round = 1; round <= 100; round++)
            for (var shard = 0; shard < 100; shard++)
                if (SpotCheckSelection.IsSampled(42, round, shard, rate)) sampled++;

        Assert.InRange(sampled / 10_000.0, rate - 0.01, rate + 0.01);
    }

    [Fact]
    public void The_same_seed_samples_the_same_shards_and_another_seed_others()
    {
        bool[] Pattern(ulong seed) => [.. Enumerable.Range(0, 200).Select(s => SpotCheckSelection.IsSampled(seed, 3, s, 0.3))];

        Assert.Equal(Pattern(7), Pattern(7));
        Assert.NotEqual(Pattern(7), Pattern(8));
    }

    [Fact]
    public void Rate_zero_samples_nothing_and_rate_one_everything() =>
        Assert.Equal((false, true), (SpotCheckSelection.IsSampled(1, 1, 1, 0), SpotCheckSelection.IsSampled(1, 1, 1, 1)));
}
