using Federated.Engine.ByteMlp;

namespace Federated.Engine.Tests.ByteMlp;

public sealed class InputValidationTests
{
    private static readonly ByteMlpModel Model = new(new ByteMlpSettings(context: 4, embed: 2, hidden: 3));
    private static readonly TrainOptions Options = new(Steps: 1, BatchSize: 2, LearningRate: 1e-3f, Seed: 1);
    private static readonly int[] Good = [1, 2, 3, 4, 5, 6];

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public void A_token_outside_the_byte_range_is_named_with_its_index(int bad)
    {
        int[] tokens = [1, 2, 3, 4, 5, bad, 7];

        var train = Assert.Throws<ArgumentException>(() => Model.Train(Model.Initialize(1), tokens, Options));
        var evaluate = Assert.Throws<ArgumentException>(() => Model.Evaluate(Model.Initialize(1), tokens, new EvaluateOptions()));

        Assert.Contains($"token at index 5 is {bad}", train.Message);
        Assert.Contains($"token at index 5 is {bad}", evaluate.Message);
        Assert.Equal("tokens", train.ParamName);
    }

    [Fact]
    public void A_shard_shorter_than_one_window_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.Train(Model.Initialize(1), [1, 2, 3, 4], Options));

        Assert.Contains("4 tokens is too short", error.Message);
        Assert.Contains("at least 5", error.Message);
    }

    [Fact]
    public void Weights_of_the_wrong_length_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.Train(new float[10], Good, Options));

        Assert.Equal("weights", error.ParamName);
        Assert.Contains($"this model has {Model.ParameterCount} parameters", error.Message);
    }

    [Fact]
    public void A_non_finite_weight_is_named_with_its_index()
    {
        var weights = Model.Initialize(1);
        weights[17] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => Model.Evaluate(weights, Good, new EvaluateOptions()));

        Assert.Contains("weight at index 17 is NaN", error.Message);
    }

    [Theory]
    [InlineData(0, 2, 1e-3f, 1f)]
    [InlineData(1, 0, 1e-3f, 1f)]
    [InlineData(1, 2, float.NaN, 1f)]
    [InlineData(1, 2, 1e-3f, -1f)]
    public void Out_of_range_options_are_refused(int steps, int batch, float learningRate, float clip)
    {
        var options = new TrainOptions(steps, batch, learningRate, 1) { GradClip = clip };

        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Train(Model.Initialize(1), Good, options));
    }

    [Fact]
    public void The_smallest_shard_trains_and_evaluates()
    {
        var result = Model.Train(Model.Initialize(1), [1, 2, 3, 4, 5], Options);

        Assert.True(float.IsFinite(result.FinalLoss));
        Assert.True(float.IsFinite(Model.Evaluate(Model.Initialize(1), [1, 2, 3, 4, 5], new EvaluateOptions())));
    }
}
