using Federated.Domain.Aggregation;
using Federated.Randomness;

namespace Federated.Domain.Tests.Aggregation;

public class AggregatorFactoryTests
{
    public static TheoryData<string> Names => [.. Aggregators.Names];

    /// <summary>fedavg leaves finiteness to the coordinator's UpdateValidator; the rank- and distance-based rules check it.</summary>
    public static TheoryData<string> RobustNames => [.. Aggregators.Names.Where(n => n != FedAvg.AggregatorName)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_aggregator_is_created_by_its_spec_name(string name) =>
        Assert.Equal(name, Aggregators.Create(name, new AggregatorSettings { ByzantineWorkers = 1 }).Name);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_same_updates_in_the_same_order_give_the_same_bytes(string name)
    {
        var updates = RandomUpdates(9, 2_000);

        var first = Aggregators.Create(name).Aggregate(updates, 2_000);
        var second = Aggregators.Create(name).Aggregate(updates, 2_000);

        Assert.Equal(Bits(first), Bits(second));
    }

    [Theory]
    [MemberData(nameof(RobustNames))]
    public void A_non_finite_value_is_refused_naming_the_update_and_index(string name)
    {
        var updates = RandomUpdates(9, 10);
        var poisoned = updates[3].Values.ToArray();
        poisoned[7] = float.NaN;
        updates[3] = new WeightedUpdate(poisoned, 1);

        var error = Assert.Throws<ArgumentException>(() => Aggregators.Create(name).Aggregate(updates, 10));

        Assert.StartsWith($"{name}: update 3 has value NaN at index 7", error.Message);
    }

    [Fact]
    public void An_unknown_name_is_refused_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Aggregators.Create("krum", AggregatorSettings.Default));

        Assert.StartsWith("unknown aggregator 'krum' (known: fedavg, median, trimmed-mean, multi-krum, centered-clipping)", error.Message);
    }

    [Fact]
    public void With_no_attacker_every_robust_rule_lands_near_fedavg()
    {
        // Nine updates scattered around one direction: the robust rules must not be far from the plain mean.
        var updates = RandomUpdates(9, 500, spread: 0.1f);
        var mean = new FedAvg().Aggregate(updates, 500);

        foreach (var name in Aggregators.Names)
        {
            var robust = Aggregators.Create(name).Aggregate(updates, 500);
            Assert.True(Distance(robust, mean) < 0.5 * Norm(mean), $"{name} is {Distance(robust, mean)} from the mean of norm {Norm(mean)}");
        }
    }

    private static WeightedUpdate[] RandomUpdates(int count, int parameterCount, float spread = 1f)
    {
        var random = new SplitMix64(11);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var values = new float[parameterCount];
            for (var i = 0; i < values.Length; i++) values[i] = 1f + spread * ((random.Next() >> 40) / (float)(1 << 24) - 0.5f);
            return new WeightedUpdate(values, 1 + (long)(random.Next() % 100));
        })];
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    private static double Norm(float[] a) => Math.Sqrt(a.Sum(x => (double)x * x));

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
