using Federated.Engine.Gpt;

namespace Federated.Engine.Tests.Gpt;

public class GptSamplerTests
{
    private static readonly GptConfig Config = new(256, 16, 1, 2, 16);
    private static readonly float[] Weights = GptInitializer.Initialize(new GptParameterLayout(Config), 9);

    [Fact]
    public void The_same_seed_gives_the_same_text()
    {
        var o = new SamplingOptions(40, Temperature: 1.2f, TopK: 20, Seed: 3);
        Assert.Equal(GptSampler.Generate(Config, Weights, [65, 66], o), GptSampler.Generate(Config, Weights, [65, 66], o));
        Assert.NotEqual(GptSampler.Generate(Config, Weights, [65, 66], o), GptSampler.Generate(Config, Weights, [65, 66], o with { Seed = 4 }));
    }

    [Fact]
    public void Top_1_is_greedy()
    {
        var greedy = GptSampler.Generate(Config, Weights, [65], new SamplingOptions(20, Temperature: 0f));
        var top1 = GptSampler.Generate(Config, Weights, [65], new SamplingOptions(20, Temperature: 1f, TopK: 1, Seed: 77));
        Assert.Equal(greedy, top1);
        Assert.Equal(20, greedy.Length); // more tokens than the context: the window slides
    }

    [Fact]
    public void A_prompt_token_outside_the_vocabulary_is_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GptSampler.Generate(Config, Weights, [65, 999], new SamplingOptions(3)));
        Assert.Contains("token id 999 at position 1", e.Message);
    }
}
