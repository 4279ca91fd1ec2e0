using Federated.Randomness;

namespace Federated.Domain.Tests.Randomness;

public class SplitMix64Tests
{
    [Fact]
    public void Seed_zero_gives_the_published_reference_outputs()
    {
        var random = new SplitMix64(0);

        Assert.Equal(
            new[] { 0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL },
            new[] { random.Next(), random.Next(), random.Next() });
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var a = new SplitMix64(12345);
        var b = new SplitMix64(12345);

        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.Next()).ToArray(), Enumerable.Range(0, 100).Select(_ => b.Next()).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void NextInt_stays_below_its_bound(int bound)
    {
        var random = new SplitMix64(99);

        Assert.All(Enumerable.Range(0, 1_000).Select(_ => random.NextInt(bound)), n => Assert.InRange(n, 0, bound - 1));
    }

    [Fact]
    public void NextInt_reaches_every_value_of_a_small_bound()
    {
        var random = new SplitMix64(99);

        Assert.Equal(Enumerable.Range(0, 7), Enumerable.Range(0, 1_000).Select(_ => random.NextInt(7)).Distinct().Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NextInt_refuses_a_bound_that_is_not_positive(int bound)
    {
        var random = new SplitMix64(99);

        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(bound));
    }

    [Fact]
    public void Derive_gives_known_seeds() =>
        // Reference values from an independent Python transcription of the algorithm.
        Assert.Equal(
            new[] { 0xBDD732262FEB6E95UL, 0x234ED3B25A4925A6UL, 0xE7F3449CDB48979CUL, 0x29E49B199086D8D3UL },
            new[] { SplitMix64.Derive(42), SplitMix64.Derive(42, 1, 2), SplitMix64.Derive(42, 2, 1), SplitMix64.Derive(1, 0) });

    [Fact]
    public void Derive_gives_a_different_seed_for_every_round_and_shard()
    {
        var seeds = from round in Enumerable.Range(0, 20)
                    from shard in Enumerable.Range(0, 50)
                    select SplitMix64.Derive(42, (ulong)round, (ulong)shard);

        Assert.Equal(1_000, seeds.Distinct().Count());
    }

    [Fact]
    public void Derive_depends_on_the_order_of_the_path() =>
        Assert.NotEqual(SplitMix64.Derive(42, 1, 2), SplitMix64.Derive(42, 2, 1));

    [Fact]
    public void Derive_depends_on_the_length_of_the_path() =>
        Assert.NotEqual(SplitMix64.Derive(42, 0), SplitMix64.Derive(42, 0, 0));

    [Fact]
    public void Derive_depends_on_the_seed() =>
        Assert.NotEqual(SplitMix64.Derive(42, 1), SplitMix64.Derive(43, 1));

    [Fact]
    public void Derive_is_stable_across_calls() =>
        Assert.Equal(SplitMix64.Derive(42, 3, 4), SplitMix64.Derive(42, 3, 4));
}
