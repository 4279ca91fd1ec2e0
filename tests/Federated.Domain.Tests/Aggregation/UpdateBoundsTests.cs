using Federated.Domain.Aggregation;
using Federated.Domain.Runs;
using Federated.Domain.Verification;

namespace Federated.Domain.Tests.Aggregation;

/// <summary>
/// The update bounds under every aggregator and round size: an update of 3e38 values or an honest one scaled by 1e6 is
/// out of the absolute bound (so it is rejected before aggregation) however few updates the round has; an update inside
/// it but far longer than the round's others is shortened before the aggregator sees it; an honest round aggregates
/// exactly as before. Honest updates here: norm about 0.2 against a base model of norm 10 (absolute limit 10 x 10 = 100).
/// </summary>
public class UpdateBoundsTests
{
    private const int Size = 4;
    private static readonly VerificationSpec Bounds = new();
    private static readonly float[] BaseWeights = [5f, 5f, 5f, 5f]; // norm 10
    private static readonly double BaseNorm = UpdateBounds.NormOf(BaseWeights);

    public static TheoryData<string, int> EveryAggregatorAndRoundSize()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Aggregators.Names)
            foreach (var n in new[] { 1, 2, 5 }) data.Add(name, n);
        return data;
    }

    private static float[] Honest(int k) => [0.1f * (1 + 0.01f * k), -0.1f, 0.1f, -0.1f * (1 - 0.01f * k)];

    private static float[] Scaled(float[] values, float factor) => [.. values.Select(v => v * factor)];

    private static List<float[]> HonestUpdates(int count) => [.. Enumerable.Range(0, count).Select(Honest)];

    /// <summary>The aggregator's settings for a round of n: robust rules take the most Byzantine updates they tolerate,
    /// and a rule that cannot run on n updates at all (multi-krum below 3) is left out, as a spec would refuse it.</summary>
    private static bool CanRun(string aggregator, int n) => ByzantineTolerance.MaxFor(aggregator, n) >= 0;

    [Theory]
    [MemberData(nameof(EveryAggregatorAndRoundSize))]
    public void An_update_of_3e38_values_is_out_of_bounds_however_few_updates_the_round_has(string aggregator, int n)
    {
        var attacker = Enumerable.Repeat(3e38f, Size).ToArray();
        var honest = HonestUpdates(n - 1);

        Assert.NotNull(UpdateBounds.Violation(UpdateBounds.Measure(attacker, BaseNorm), Bounds));
        Assert.All(honest, h => Assert.Null(UpdateBounds.Violation(UpdateBounds.Measure(h, BaseNorm), Bounds)));
        AssertTheRestAggregatesToAFiniteModel(aggregator, honest);
    }

    [Theory]
    [MemberData(nameof(EveryAggregatorAndRoundSize))]
    public void An_honest_update_scaled_by_1e6_is_out_of_bounds_however_few_updates_the_round_has(string aggregator, int n)
    {
        var attacker = Scaled(Honest(0), 1e6f);
        var honest = HonestUpdates(n - 1);

        var violation = UpdateBounds.Violation(UpdateBounds.Measure(attacker, BaseNorm), Bounds);

        Assert.NotNull(violation);
        AssertTheRestAggregatesToAFiniteModel(aggregator, honest);
    }

    [Theory]
    [MemberData(nameof(EveryAggregatorAndRoundSize))]
    public void An_update_inside_the_absolute_bound_moves_the_model_at_most_that_far(string aggregator, int n)
    {
        if (!CanRun(aggregator, n)) return;
        // 450 x an honest update: norm 90, inside the limit of 100, 450 times the round's others.
        var updates = HonestUpdates(n - 1).Append(Scaled(Honest(0), 450f)).Select(u => new WeightedUpdate(u, 100)).ToList();
        Assert.Null(UpdateBounds.Violation(UpdateBounds.Measure(updates[^1].Values.Span, BaseNorm), Bounds));

        var round = RoundAggregation.Compute(BaseWeights, updates, aggregator, AggregatorSettings.Default, Bounds, 1f);

        Assert.True(UpdateBounds.NormOf(round.Aggregate) <= UpdateBounds.NormLimit(BaseNorm, Bounds), $"{aggregator} n = {n}");
        if (n >= 3)
        {
            // The relative bound: shortened to 5 x the median norm (about 0.2) before any aggregator sees it.
            var clip = Assert.Single(round.Clipped);
            Assert.Equal(n - 1, clip.Index);
            Assert.True(UpdateBounds.NormOf(round.Aggregate) <= 2 * UpdateBounds.NormOf(Honest(n)), $"{aggregator}: {UpdateBounds.NormOf(round.Aggregate)}");
        }
        else
        {
            Assert.Empty(round.Clipped); // one or two updates: the median is their own size; the absolute bound holds instead
        }
    }

    [Theory]
    [MemberData(nameof(EveryAggregatorAndRoundSize))]
    public void An_honest_round_aggregates_exactly_as_the_aggregator_alone(string aggregator, int n)
    {
        if (!CanRun(aggregator, n)) return;
        var updates = HonestUpdates(n).Select((u, k) => new WeightedUpdate(u, 100 + k)).ToList();
        var plain = Aggregators.Create(aggregator, AggregatorSettings.Default).Aggregate(updates, Size);

        var round = RoundAggregation.Compute(BaseWeights, updates, aggregator, AggregatorSettings.Default, Bounds, 0.7f);

        Assert.Empty(round.Clipped);
        Assert.Equal(plain.Select(BitConverter.SingleToInt32Bits), round.Aggregate.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Aggregators.ApplyOuterStep(BaseWeights, plain, 0.7f).Select(BitConverter.SingleToInt32Bits),
            round.Next.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_model_that_overflows_is_refused_rather_than_returned()
    {
        // Bounds loose enough to let 3e38 through: the outer step 3e38 + 2 x 3e38 is infinite.
        var loose = new VerificationSpec { MaxUpdateValue = 1e39, MaxUpdateNormRatio = 1e39, MaxNormToMedian = 1e39 };
        float[] huge = [3e38f, 3e38f, 3e38f, 3e38f];

        var error = Assert.Throws<NonFiniteModelException>(() =>
            RoundAggregation.Compute(huge, [new WeightedUpdate(huge, 1)], FedAvg.AggregatorName, AggregatorSettings.Default, loose, 2f));

        Assert.Contains("next model", error.Message);
    }

    [Fact]
    public void A_fedavg_aggregate_that_is_not_a_number_is_refused()
    {
        // FedAvg itself checks no values; a NaN that got past validation (an old log, a bug) stops here.
        var loose = new VerificationSpec { MaxUpdateValue = 1e39, MaxUpdateNormRatio = 1e39, MaxNormToMedian = 1e39 };
        float[] nan = [float.NaN, 0f, 0f, 0f];

        var error = Assert.Throws<NonFiniteModelException>(() =>
            RoundAggregation.Compute(BaseWeights, [new WeightedUpdate(nan, 1)], FedAvg.AggregatorName, AggregatorSettings.Default, loose, 1f));

        Assert.Contains("fedavg aggregate", error.Message);
    }

    [Fact]
    public void A_non_finite_value_is_out_of_every_bound()
    {
        var loose = new VerificationSpec { MaxUpdateValue = double.MaxValue, MaxUpdateNormRatio = double.MaxValue };

        Assert.NotNull(UpdateBounds.Violation(UpdateBounds.Measure([0f, float.NaN, 0f], BaseNorm), loose));
        Assert.NotNull(UpdateBounds.Violation(UpdateBounds.Measure([float.PositiveInfinity], BaseNorm), loose));
    }

    [Fact]
    public void A_zero_base_model_still_admits_updates_up_to_the_ratio_itself()
    {
        Assert.Null(UpdateBounds.Violation(UpdateBounds.Measure([3f, 4f], baseNorm: 0), Bounds)); // norm 5 <= 10 x max(1, 0)
        Assert.NotNull(UpdateBounds.Violation(UpdateBounds.Measure([6f, 8f, 1f], baseNorm: 0), Bounds));
    }

    private static void AssertTheRestAggregatesToAFiniteModel(string aggregator, List<float[]> honest)
    {
        if (honest.Count == 0 || !CanRun(aggregator, honest.Count)) return;
        var round = RoundAggregation.Compute(BaseWeights, [.. honest.Select(h => new WeightedUpdate(h, 100))], aggregator,
            AggregatorSettings.Default, Bounds, 1f);
        Assert.All(round.Next, v => Assert.True(float.IsFinite(v)));
    }
}
