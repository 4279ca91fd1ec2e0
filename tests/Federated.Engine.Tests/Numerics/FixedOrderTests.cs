using Federated.Engine.Numerics;

namespace Federated.Engine.Tests.Numerics;

public class FixedOrderTests
{
    [Theory]
    [InlineData(1e-300)]
    [InlineData(4.9e-324)]   // smallest subnormal
    [InlineData(0.001)]
    [InlineData(0.7071)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(12345.678)]
    [InlineData(1e300)]
    public void Log_agrees_with_the_platform_to_a_few_ulps(double x)
    {
        double expected = Math.Log(x);
        Assert.True(Math.Abs(FixedOrder.Log(x) - expected) <= 4e-16 * Math.Max(1, Math.Abs(expected)), $"log({x}) = {FixedOrder.Log(x):R}, expected {expected:R}");
    }

    [Fact]
    public void Exp_gives_an_element_the_same_bits_in_the_body_and_in_the_tail()
    {
        float[] x = [-3.5f, -1f, 0f, 0.25f, 1f, 2f, 7.5f, -20f, 0.1f, 3f, -0.3f];
        var all = new float[x.Length];
        FixedOrder.Exp(x, all);
        for (int start = 1; start < x.Length; start++)
        {
            var part = new float[x.Length - start];
            FixedOrder.Exp(x.AsSpan(start), part);
            Assert.Equal(all[start..], part);
        }
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Exp(x[i]), all[i], 1e-6 * Math.Exp(x[i]));
    }

    [Fact]
    public void SoftMax_sums_to_one_and_returns_the_normaliser()
    {
        float[] x = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f];
        var y = new float[x.Length];
        float z = FixedOrder.SoftMax(x, y);
        Assert.Equal(1.0, y.Sum(v => (double)v), 1e-6);
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => Math.Exp(i - 9)), z, 1e-5);
    }

    [Fact]
    public void Dot_and_Sum_match_a_double_sum_for_every_tail_length()
    {
        var rng = new SeededRandom(11);
        for (var n = 0; n <= 40; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            // float sums of up to 40 terms of size <= 1
            Assert.Equal(x.Zip(y, (a, b) => (double)a * b).Sum(), FixedOrder.Dot(x, y), 1e-5);
            Assert.Equal(x.Sum(v => (double)v), FixedOrder.Sum(x), 1e-5);
        }
    }

    [Fact]
    public void SumOfSquares_accumulates_in_double()
    {
        Assert.Equal(25.0, FixedOrder.SumOfSquares([3f, 4f]));
        Assert.Equal(2e60, FixedOrder.SumOfSquares([1e30f, 1e30f, 0f]), 2e60 * 1e-6); // each square overflows float, not double
        Assert.Equal(0.0, FixedOrder.SumOfSquares([]));
    }

    [Fact]
    public void Dot_of_small_integers_is_exact()
    {
        var x = Enumerable.Range(1, 23).Select(i => (float)i).ToArray();

        Assert.Equal(Enumerable.Range(1, 23).Sum(i => i * i), FixedOrder.Dot(x, x));
    }

    [Fact]
    public void Dot_refuses_vectors_of_different_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => FixedOrder.Dot(new float[3], new float[4]));

        Assert.Equal("y", e.ParamName);
    }
}
