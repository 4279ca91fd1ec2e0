namespace Federated.Engine;

/// <summary>Builds the model a <see cref="ModelConfig"/> names. Throws <see cref="ModelConfigException"/> naming the bad setting.</summary>
public static class ModelFactory
{
    public static ILanguageModel Create(ModelConfig config) => config.Family switch
    {
        ByteMlp.ByteMlpModel.Family => ByteMlp.ByteMlpModel.FromConfig(config),
        Gpt.GptModel.Family => Gpt.GptModel.FromConfig(config),
        _ => throw new ModelConfigException("model.family", $"unknown model family '{config.Family}' (known: {ByteMlp.ByteMlpModel.Family}, {Gpt.GptModel.Family})"),
    };
}

public sealed class ModelConfigException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
