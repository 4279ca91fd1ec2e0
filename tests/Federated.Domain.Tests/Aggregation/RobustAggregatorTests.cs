using Federated.Domain.Aggregation;

namespace Federated.Domain.Tests.Aggregation;

/// <summary>Known answers worked by hand (the arithmetic is in each comment), plus the property each rule is for.</summary>
public class CoordinateMedianTests
{
    private static WeightedUpdate U(long weight, params float[] values) => new(values, weight);

    [Fact]
    public void An_odd_count_gives_the_middle_value_of_each_coordinate() =>
        // coordinate 0: 1, 2, 3 -> 2; coordinate 1: -1, 5, 100 -> 5
        Assert.Equal(new[] { 2f, 5f }, new CoordinateMedian().Aggregate([U(1, 1, 5), U(1, 3, -1), U(1, 2, 100)], 2));

    [Fact]
    public void An_even_count_gives_the_mean_of_the_two_middle_values() =>
        // 1, 2, 4, 10 -> (2 + 4) / 2
        Assert.Equal(new[] { 3f }, new CoordinateMedian().Aggregate([U(1, 10), U(1, 1), U(1, 4), U(1, 2)], 1));

    [Fact]
    public void Token_weights_do_not_move_the_median() =>
        Assert.Equal(new[] { 2f }, new CoordinateMedian().Aggregate([U(1, 1), U(1, 2), U(1_000_000, 3)], 1));

    [Fact]
    public void One_huge_outlier_does_not_move_the_median() =>
        Assert.Equal(new[] { 0.2f, -0.2f }, new CoordinateMedian().Aggregate(
            [U(1, 0.1f, -0.1f), U(1, 0.2f, -0.2f), U(1, 0.3f, -0.3f), U(1, 0.2f, -0.2f), U(1, 3e30f, -3e30f)], 2));

    [Fact]
    public void A_stated_f_without_an_honest_majority_is_refused_naming_n_and_f()
    {
        var median = new CoordinateMedian(new AggregatorSettings { ByzantineWorkers = 2 });

        var error = Assert.Throws<ArgumentException>(() => median.Aggregate([U(1, 1), U(1, 2), U(1, 3), U(1, 4)], 1));

        Assert.StartsWith("median needs n > 2f updates, got n = 4 with f = 2", error.Message);
    }
}

public class TrimmedMeanTests
{
    private static WeightedUpdate U(long weight, params float[] values) => new(values, weight);

    private static TrimmedMean WithF(int f) => new(new AggregatorSettings { ByzantineWorkers = f });

    [Fact]
    public void F_values_are_dropped_at_each_end_of_a_coordinate() =>
        // drop 1 and 100, mean of 2 and 3
        Assert.Equal(new[] { 2.5f }, WithF(1).Aggregate([U(1, 100), U(1, 2), U(1, 1), U(1, 3)], 1));

    [Fact]
    public void The_values_kept_are_averaged_by_tokens() =>
        // drop 0 and 9; (1 * 1 + 2 * 3) / (1 + 3)
        Assert.Equal(new[] { 1.75f }, WithF(1).Aggregate([U(1, 0), U(1, 1), U(3, 2), U(1, 9)], 1));

    [Fact]
    public void Without_f_a_quarter_is_dropped_at_each_end() =>
        // n = 8: drop 2 per side of 1..8, mean of 3, 4, 5, 6
        Assert.Equal(new[] { 4.5f }, new TrimmedMean().Aggregate([.. Enumerable.Range(1, 8).Select(v => U(1, v))], 1));

    [Fact]
    public void A_trim_fraction_sets_how_many_are_dropped() =>
        // n = 8, fraction 0.125: drop 1 per side of 1, 4, ..., 64; mean of 4, 9, 16, 25, 36, 49
        Assert.Equal(new[] { (float)(139.0 / 6) }, new TrimmedMean(new AggregatorSettings { TrimFraction = 0.125 })
            .Aggregate([.. Enumerable.Range(1, 8).Select(v => U(1, v * v))], 1));

    [Fact]
    public void Equal_values_are_trimmed_in_update_order()
    {
        // sorted by (value, index): (1,#0,w1) (1,#1,w9) (2,#2,w1) (7,#3,w1) (7,#4,w9); #0 and #4 go.
        // kept: (1 * 9 + 2 * 1 + 7 * 1) / (9 + 1 + 1) = 18 / 11
        var result = WithF(1).Aggregate([U(1, 1), U(9, 1), U(1, 2), U(1, 7), U(9, 7)], 1);

        Assert.Equal((float)(18.0 / 11), result[0]);
    }

    [Fact]
    public void One_huge_outlier_is_trimmed_away() =>
        // drop -3e30 and 3, mean of 1 and 2
        Assert.Equal(new[] { 1.5f }, WithF(1).Aggregate([U(1, 1), U(1, 2), U(1, 3), U(1, -3e30f)], 1));

    [Fact]
    public void A_stated_f_that_leaves_nothing_is_refused_naming_n_and_f()
    {
        var error = Assert.Throws<ArgumentException>(() => WithF(2).Aggregate([U(1, 1), U(1, 2), U(1, 3), U(1, 4)], 1));

        Assert.StartsWith("trimmed-mean needs n > 2f updates, got n = 4 with f = 2", error.Message);
    }
}

public class MultiKrumTests
{
    private static WeightedUpdate U(long weight, params float[] values) => new(values, weight);

    // 0, 1, 2, 100, 3 with f = 1: each score sums the n - f - 2 = 2 nearest squared distances.
    private static readonly WeightedUpdate[] Line = [U(1, 0), U(1, 1), U(1, 2), U(1, 100), U(1, 3)];

    private static MultiKrum WithF(int f) => new(new AggregatorSettings { ByzantineWorkers = f });

    [Fact]
    public void Scores_sum_the_nearest_squared_distances() =>
        // #0: 1 + 4; #1: 1 + 1; #2: 1 + 1; #3: 97^2 + 98^2; #4: 1 + 4
        Assert.Equal(new[] { 5.0, 2.0, 2.0, 9409.0 + 9604.0, 5.0 }, MultiKrum.Scores(Line, 2));

    [Fact]
    public void The_n_minus_f_lowest_scored_are_kept() => Assert.Equal(new[] { 0, 1, 2, 4 }, WithF(1).Select(Line, 1));

    [Fact]
    public void The_kept_updates_are_averaged_by_tokens() =>
        // keeps 0, 1, 2, 3 (#4) with weights 1, 1, 1, 2: (0 + 1 + 2 + 6) / 5
        Assert.Equal(new[] { 1.8f }, WithF(1).Aggregate([U(1, 0), U(1, 1), U(1, 2), U(1000, 100), U(2, 3)], 1));

    [Fact]
    public void Without_f_it_assumes_the_most_it_tolerates()
    {
        // n = 8: the largest f with 8 > 2f + 2 is 2, so 6 are kept.
        var updates = Enumerable.Range(0, 8).Select(v => U(1, v)).ToArray();

        Assert.Equal(6, new MultiKrum().Select(updates, 1).Count);
    }

    [Fact]
    public void One_huge_outlier_is_never_selected()
    {
        WeightedUpdate[] updates = [U(1, 0.1f, 0.1f), U(1, 0.2f, 0.1f), U(1, -1e30f, 1e30f), U(1, 0.1f, 0.2f), U(1, 0.2f, 0.2f), U(1, 0.15f, 0.15f)];

        Assert.DoesNotContain(2, WithF(1).Select(updates, 2));
    }

    [Fact]
    public void Too_few_updates_for_f_are_refused_naming_n_and_f()
    {
        var error = Assert.Throws<ArgumentException>(() => WithF(2).Aggregate(Line, 1));

        Assert.StartsWith("multi-krum needs n > 2f + 2 updates, got n = 5 with f = 2", error.Message);
    }

    [Fact]
    public void Two_updates_are_too_few_even_without_f()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiKrum().Aggregate([U(1, 0), U(1, 1)], 1));

        Assert.StartsWith("multi-krum needs n > 2f + 2 updates, got n = 2 with f = 0", error.Message);
    }
}

public class CenteredClippingTests
{
    private static WeightedUpdate U(long weight, params float[] values) => new(values, weight);

    private static readonly WeightedUpdate[] Line = [U(1, 0), U(1, 1), U(1, 2), U(1, 10)];

    private static CenteredClipping With(float radius, int iterations) =>
        new(new AggregatorSettings { ClippingRadius = radius, ClippingIterations = iterations });

    [Fact]
    public void One_step_clips_each_update_to_the_radius_around_the_median() =>
        // v = 1.5; steps -1.5, -0.5, 0.5, 8.5 clipped to 2: v + (-1.5 - 0.5 + 0.5 + 2) / 4 = 1.625
        Assert.Equal(new[] { 1.625f }, With(2, 1).Aggregate(Line, 1));

    [Fact]
    public void Each_step_starts_from_the_last_centre() =>
        // v = 1.625; steps -1.625, -0.625, 0.375, 8.375 clipped to 2: v + 0.125 / 4 = 1.65625
        Assert.Equal(new[] { 1.65625f }, With(2, 2).Aggregate(Line, 1));

    [Fact]
    public void Without_a_radius_it_is_the_median_distance_from_the_median() =>
        // v = 1.5, distances 1.5, 0.5, 0.5, 8.5: tau = 1; steps -1, -0.5, 0.5, 1 sum to 0, v stays
        Assert.Equal(new[] { 1.5f }, new CenteredClipping().Aggregate(Line, 1));

    [Fact]
    public void One_huge_outlier_moves_the_centre_by_at_most_the_radius_over_n_per_step()
    {
        WeightedUpdate[] updates = [U(1, 1), U(1, 1), U(1, 1), U(1, 1), U(1_000_000, 1e30f)];

        var result = With(0.5f, 3).Aggregate(updates, 1);

        Assert.InRange(result[0], 1f, 1f + 3 * 0.5f / 5 + 1e-6f);
    }

    [Fact]
    public void Identical_updates_come_back_unchanged() =>
        Assert.Equal(new[] { 0.25f, -4f }, new CenteredClipping().Aggregate([U(1, 0.25f, -4), U(2, 0.25f, -4), U(3, 0.25f, -4)], 2));

    [Fact]
    public void A_radius_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => With(0, 1).Aggregate(Line, 1));

        Assert.StartsWith("centered-clipping: clipping radius must be a positive number, got 0", error.Message);
    }
}
