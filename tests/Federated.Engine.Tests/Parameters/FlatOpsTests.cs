using Federated.Engine.Parameters;

namespace Federated.Engine.Tests.Parameters;

public sealed class FlatOpsTests
{
    [Fact]
    public void Finds_the_first_non_finite_value()
    {
        float[] values = [1f, 2f, float.NaN, float.PositiveInfinity];

        Assert.Equal(2, FlatOps.IndexOfNonFinite(values));
        Assert.False(FlatOps.AllFinite(values));
        Assert.Equal(1, FlatOps.IndexOfNonFinite([0f, float.NegativeInfinity]));
    }

    [Fact]
    public void Finite_vectors_report_minus_one()
    {
        Assert.Equal(-1, FlatOps.IndexOfNonFinite([0f, -0f, float.MaxValue, float.Epsilon]));
        Assert.True(FlatOps.AllFinite([]));
    }

    [Fact]
    public void Finds_nan_that_came_through_the_codec()
    {
        var values = new float[1000];
        values[777] = float.NaN;

        var decoded = ParameterCodec.Decode(ParameterCodec.Encode(values));

        Assert.Equal(777, FlatOps.IndexOfNonFinite(decoded));
    }

    [Fact]
    public void Add_scales_the_source_into_the_destination()
    {
        float[] total = [1f, 2f, 3f];

        FlatOps.Add(total, [2f, 4f, 6f], 0.5f);

        Assert.Equal([2f, 4f, 6f], total);
    }

    [Fact]
    public void Subtract_gives_the_difference()
    {
        var difference = new float[2];

        FlatOps.Subtract(difference, [5f, 1f], [2f, 3f]);

        Assert.Equal([3f, -2f], difference);
    }

    [Fact]
    public void Scale_multiplies_every_value()
    {
        float[] values = [1f, -2f, 3f];

        FlatOps.Scale(values, 2f);

        Assert.Equal([2f, -4f, 6f], values);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => FlatOps.Add(new float[2], new float[3]));
        Assert.Throws<ArgumentException>(() => FlatOps.Subtract(new float[2], new float[2], new float[3]));
    }
}
