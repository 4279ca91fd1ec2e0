using Federated.Engine.Gpt;

namespace Federated.Engine.Models;

/// <summary>
/// Builds the model a <see cref="ModelConfig"/> names. Throws <see cref="ModelConfigException"/> naming the bad setting.
/// It sits above the model families (it names each one) and apart from the seam they implement, so the engine's
/// folders depend one way: Models -> Gpt -> the seam (ILanguageModel, ModelConfig) and Numerics.
/// </summary>
public static class ModelFactory
{
    /// <summary>The families <see cref="Create"/> knows, as run specs spell them.</summary>
    public static IReadOnlyList<string> Families { get; } = [GptModel.Family];

    public static ILanguageModel Create(ModelConfig config) => config.Family switch
    {
        GptModel.Family => GptModel.FromConfig(config),
        "bytemlp" => throw new ModelConfigException("model.family",
            $"the 'bytemlp' family was removed; supported: {string.Join(", ", Families)} (a small one: layers 2, heads 2, width 64, context 64, as in models/gpt-nano.json)"),
        _ => throw new ModelConfigException("model.family", $"unknown model family '{config.Family}'; supported: {string.Join(", ", Families)}"),
    };
}
