using Federated.Engine.Gpt;

namespace Federated.Engine.Tests.Gpt;

/// <summary>What a caller hands the model through the seam is checked, each failure naming the bad value.</summary>
public sealed class GptInputValidationTests
{
    private static readonly GptModel Model = new(new GptConfig(Vocab: 256, Context: 4, Layers: 1, Heads: 1, Width: 8));
    private static readonly TrainOptions Options = new(Steps: 1, BatchSize: 2, LearningRate: 1e-3f, Seed: 1);
    private static readonly int[] Good = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void A_shard_shorter_than_two_tokens_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.Train(Model.Initialize(1), [1], Options));

        Assert.Equal("tokens", error.ParamName);
        Assert.Contains("need at least 2 tokens, got 1", error.Message);
    }

    [Fact]
    public void Weights_of_the_wrong_length_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.Train(new float[10], Good, Options));

        Assert.Equal("weights", error.ParamName);
        Assert.Contains($"expected {Model.ParameterCount} weights", error.Message);
    }

    [Theory]
    [InlineData(0, 2, 1e-3f, 0f, 1f)]
    [InlineData(1, 0, 1e-3f, 0f, 1f)]
    [InlineData(1, 2, float.NaN, 0f, 1f)]
    [InlineData(1, 2, -1e-3f, 0f, 1f)]
    [InlineData(1, 2, 1e-3f, float.PositiveInfinity, 1f)]
    [InlineData(1, 2, 1e-3f, 0f, -1f)]
    public void Out_of_range_options_are_refused(int steps, int batch, float learningRate, float weightDecay, float clip)
    {
        var options = new TrainOptions(steps, batch, learningRate, 1) { WeightDecay = weightDecay, GradClip = clip };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Train(Model.Initialize(1), Good, options));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void The_smallest_shard_trains_and_evaluates()
    {
        var result = Model.Train(Model.Initialize(1), [1, 2], Options);

        Assert.True(float.IsFinite(result.FinalLoss));
        Assert.Equal(Model.TrainTokens(1, 2, 2), result.TokensProcessed);
        Assert.True(float.IsFinite(Model.Evaluate(Model.Initialize(1), [1, 2], new EvaluateOptions())));
    }
}
