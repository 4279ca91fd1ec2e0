namespace Federated.Engine.Gpt;

/// <summary>
/// Shape of a GPT-2-style decoder: byte-level vocabulary (256) by default, learned positions up to
/// <see cref="Context"/>, <see cref="Layers"/> pre-LayerNorm blocks of <see cref="Heads"/>-head causal
/// attention and a 4x GELU MLP, final LayerNorm, LM head tied to the token embedding.
/// </summary>
public sealed record GptConfig(int Vocab, int Context, int Layers, int Heads, int Width)
{
    public const int ByteVocab = 256;

    public int HeadSize => Width / Heads;

    /// <summary>Reads the "gpt" family settings ("layers", "heads", "width", "context", "vocab"), validated.</summary>
    public static GptConfig FromModelConfig(ModelConfig config)
    {
        int Required(string key) => config.Settings.TryGetValue(key, out var v)
            ? v
            : throw new ModelConfigException($"model.{key}", $"setting '{key}' is required for the gpt family");
        var gpt = new GptConfig(config.Get("vocab", ByteVocab), Required("context"), Required("layers"), Required("heads"), Required("width"));
        gpt.Validate();
        return gpt;
    }

    public ModelConfig ToModelConfig() => new("gpt", new Dictionary<string, int>
    {
        ["vocab"] = Vocab, ["context"] = Context, ["layers"] = Layers, ["heads"] = Heads, ["width"] = Width,
    });

    /// <summary>Throws <see cref="ModelConfigException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Check("vocab", Vocab, 2, 1 << 20);
        Check("context", Context, 1, 1 << 14);
        Check("layers", Layers, 1, 256);
        Check("heads", Heads, 1, 1024);
        Check("width", Width, 1, 1 << 14);
        if (Width % Heads != 0)
            throw new ModelConfigException("model.width", $"width {Width} must be divisible by heads {Heads}");
        if (GptParameterLayout.CountParameters(this) > Array.MaxLength)
            throw new ModelConfigException("model.width", $"{GptParameterLayout.CountParameters(this)} parameters do not fit one float32 buffer");
    }

    public override string ToString() => $"gpt(vocab={Vocab},context={Context},layers={Layers},heads={Heads},width={Width})";

    private static void Check(string key, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new ModelConfigException($"model.{key}", $"{key} = {value} is outside [{min}, {max}]");
    }
}
