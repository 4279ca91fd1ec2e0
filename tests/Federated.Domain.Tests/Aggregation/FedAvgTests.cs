using Federated.Domain.Aggregation;
using Federated.Randomness;

namespace Federated.Domain.Tests.Aggregation;

public class FedAvgTests
{
    private static readonly FedAvg FedAvg = new();

    private static WeightedUpdate Update(long weight, params float[] values) => new(values, weight);

    [Fact]
    public void The_result_is_the_token_weighted_mean() =>
        // ([1,2,3]*1 + [4,5,6]*3) / 4
        Assert.Equal(new[] { 3.25f, 4.25f, 5.25f }, FedAvg.Aggregate([Update(1, 1, 2, 3), Update(3, 4, 5, 6)], 3));

    [Fact]
    public void Equal_weights_give_the_plain_mean() =>
        Assert.Equal(new[] { 1f, 1f }, FedAvg.Aggregate([Update(7, 0.5f, -1), Update(7, 1.5f, 3)], 2));

    [Fact]
    public void A_single_update_is_returned_unchanged() =>
        Assert.Equal(new[] { 0.1f, -0.2f }, FedAvg.Aggregate([Update(123, 0.1f, -0.2f)], 2));

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_weight_that_is_not_positive_is_refused(long weight)
    {
        var error = Assert.Throws<ArgumentException>(() => FedAvg.Aggregate([Update(1, 1), Update(weight, 2)], 1));

        Assert.Contains($"update 1 has weight {weight}; weights must be positive", error.Message);
    }

    [Fact]
    public void An_update_of_the_wrong_length_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => FedAvg.Aggregate([Update(1, 1, 2, 3), Update(1, 1, 2)], 3));

        Assert.Contains("update 1 has 2 values, expected 3", error.Message);
    }

    [Fact]
    public void Nothing_to_aggregate_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => FedAvg.Aggregate([], 3));

        Assert.Contains("no updates", error.Message);
    }

    [Fact]
    public void The_same_updates_in_the_same_order_give_the_same_bits()
    {
        var updates = RandomUpdates(count: 5, parameterCount: 1_000);

        Assert.Equal(Bits(FedAvg.Aggregate(updates, 1_000)), Bits(FedAvg.Aggregate(updates, 1_000)));
    }

    [Fact]
    public void The_aggregator_is_created_by_its_spec_name() => Assert.IsType<FedAvg>(Aggregators.Create("fedavg"));

    [Fact]
    public void An_unknown_aggregator_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Aggregators.Create("krum"));

        Assert.Contains("unknown aggregator 'krum'", error.Message);
    }

    private static WeightedUpdate[] RandomUpdates(int count, int parameterCount)
    {
        var random = new SplitMix64(7);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var values = new float[parameterCount];
            for (var i = 0; i < values.Length; i++) values[i] = (random.NextInt(2_000_001) - 1_000_000) / 1e6f;
            return new WeightedUpdate(values, 1 + random.NextInt(50_000));
        })];
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}

public class OuterStepTests
{
    [Fact]
    public void The_next_model_is_the_base_plus_the_outer_rate_times_the_aggregate() =>
        // [1, 2, -3] + 0.5 * [0.5, -1, 2]
        Assert.Equal(new[] { 1.25f, 1.5f, -2f }, Aggregators.ApplyOuterStep([1f, 2f, -3f], [0.5f, -1f, 2f], 0.5f));

    [Fact]
    public void An_outer_rate_of_one_adds_the_aggregate() =>
        Assert.Equal(new[] { 1.5f, 1f }, Aggregators.ApplyOuterStep([1f, 2f], [0.5f, -1f], 1f));

    [Fact]
    public void An_aggregate_of_another_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Aggregators.ApplyOuterStep([1f, 2f, 3f], [1f, 2f], 1f));

        Assert.Contains("aggregate has 2 values, model has 3", error.Message);
    }
}
