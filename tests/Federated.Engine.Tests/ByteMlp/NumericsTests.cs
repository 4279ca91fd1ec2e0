using Federated.Engine.ByteMlp;

namespace Federated.Engine.Tests.ByteMlp;

/// <summary>The portable building blocks against the platform's own (accurate but not bit-portable) versions.</summary>
public sealed class NumericsTests
{
    [Fact]
    public void Exp_agrees_with_the_platform_to_a_few_double_ulps()
    {
        for (double x = -700; x <= 700; x += 0.37)
            Assert.Equal(1.0, PortableMath.Exp(x) / Math.Exp(x), 13);
        Assert.Equal(1.0, PortableMath.Exp(0));
        Assert.Equal(0.0, PortableMath.Exp(-800));
        Assert.Equal(double.PositiveInfinity, PortableMath.Exp(800));
    }

    [Fact]
    public void Log_agrees_with_the_platform_to_a_few_double_ulps()
    {
        foreach (var x in new[] { 1e-310, 1e-300, 1e-10, 0.5, 0.999999, 1.0, 1.000001, Math.E, 256.0, 1e300 })
            Assert.Equal(Math.Log(x), PortableMath.Log(x), 14);
        for (double x = 0.01; x < 100; x *= 1.07)
            Assert.Equal(Math.Log(x), PortableMath.Log(x), 14);
        Assert.Equal(double.NegativeInfinity, PortableMath.Log(0));
        Assert.True(double.IsNaN(PortableMath.Log(-1)));
    }

    [Fact]
    public void Tanh_is_within_one_float_ulp_of_the_exact_value()
    {
        for (float x = -25f; x <= 25f; x += 0.0137f)
        {
            double exact = Math.Tanh(x);
            float ulp = MathF.BitIncrement(MathF.Abs((float)exact)) - MathF.Abs((float)exact);
            Assert.True(Math.Abs(PortableMath.Tanh(x) - exact) <= ulp, $"tanh({x})");
        }
        Assert.Equal(1e-30f, PortableMath.Tanh(1e-30f));
        Assert.Equal(-1f, PortableMath.Tanh(-100f));
    }

    [Fact]
    public void Dot_matches_a_double_sum_for_every_tail_length()
    {
        var rng = new Xoshiro256(11);
        for (var n = 0; n <= 40; n++)
        {
            var x = DoubleReference.RandomFloats(rng, n, 1f);
            var y = DoubleReference.RandomFloats(rng, n, 1f);
            double exact = x.Zip(y, (a, b) => (double)a * b).Sum();
            Assert.Equal(exact, FixedOrderDot.Dot(x, y), 1e-5); // float sums of up to 40 terms of size <= 1
        }
    }

    [Fact]
    public void Dot_of_small_integers_is_exact()
    {
        var x = Enumerable.Range(1, 23).Select(i => (float)i).ToArray();

        Assert.Equal(Enumerable.Range(1, 23).Sum(i => i * i), FixedOrderDot.Dot(x, x));
    }

    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // Outputs of the reference C splitmix64 from state 1234567.
        ulong state = 1234567;
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];

        Assert.Equal(expected, expected.Select(_ => Xoshiro256.SplitMix64(ref state)));
    }

    [Fact]
    public void Xoshiro256_matches_an_independent_transcription()
    {
        // From a Python transcription of the reference xoshiro256** C code (itself checked against the
        // published state {1,2,3,4} vector 11520, 0, 1509978240, 1215971899390074240), seeded by SplitMix64 from 42.
        var rng = new Xoshiro256(42);
        ulong[] expected = [1546998764402558742, 6990951692964543102, 12544586762248559009, 17057574109182124193];

        Assert.Equal(expected, expected.Select(_ => rng.NextUInt64()));
    }

    [Fact]
    public void NextInt_stays_in_range_and_reaches_both_ends()
    {
        var rng = new Xoshiro256(3);
        var seen = new bool[7];
        for (var i = 0; i < 1000; i++) seen[rng.NextInt(7)] = true;

        Assert.All(seen, Assert.True);
    }
}
