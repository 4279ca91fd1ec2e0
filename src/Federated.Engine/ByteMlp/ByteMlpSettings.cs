namespace Federated.Engine.ByteMlp;

/// <summary>
/// The three sizes of a ByteMlp model, validated. Run specs write them as the model settings
/// "context", "embed" and "hidden"; any other key is refused so a misspelt setting cannot silently fall
/// back to its default.
/// </summary>
public sealed record ByteMlpSettings
{
    public const int DefaultContext = 8;
    public const int DefaultEmbed = 16;
    public const int DefaultHidden = 128;
    public const int MaxContext = 1024;
    public const int MaxEmbed = 1024;
    public const int MaxHidden = 16384;

    /// <summary>Caps the whole vector (64 Mi floats, 256 MiB) so one config cannot exhaust a worker's memory.</summary>
    public const long MaxParameters = 64L * 1024 * 1024;

    private static readonly string[] Known = ["context", "embed", "hidden"];

    /// <summary>Previous tokens the model sees.</summary>
    public int Context { get; }

    /// <summary>Width of each token's embedding.</summary>
    public int Embed { get; }

    /// <summary>Width of the tanh hidden layer.</summary>
    public int Hidden { get; }

    /// <exception cref="ModelConfigException">A size is out of range (field "model.context", "model.embed" or
    /// "model.hidden"), or together they exceed <see cref="MaxParameters"/> (field "model").</exception>
    public ByteMlpSettings(int context = DefaultContext, int embed = DefaultEmbed, int hidden = DefaultHidden)
    {
        Context = Check("context", context, MaxContext);
        Embed = Check("embed", embed, MaxEmbed);
        Hidden = Check("hidden", hidden, MaxHidden);
        long count = ParameterCount(context, embed, hidden);
        if (count > MaxParameters)
            throw new ModelConfigException("model",
                $"bytemlp(context={context},embed={embed},hidden={hidden}) has {count} parameters, above the limit of {MaxParameters}");
    }

    public static ByteMlpSettings FromConfig(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Family != ByteMlpModel.Family)
            throw new ModelConfigException("model.family", $"expected '{ByteMlpModel.Family}', got '{config.Family}'");
        foreach (var key in config.Settings.Keys)
        {
            if (Array.IndexOf(Known, key) < 0)
                throw new ModelConfigException($"model.{key}", $"unknown setting for {ByteMlpModel.Family} (known: {string.Join(", ", Known)})");
        }
        return new ByteMlpSettings(
            config.Get("context", DefaultContext),
            config.Get("embed", DefaultEmbed),
            config.Get("hidden", DefaultHidden));
    }

    public ModelConfig ToConfig() => new(ByteMlpModel.Family, new Dictionary<string, int>
    {
        ["context"] = Context,
        ["embed"] = Embed,
        ["hidden"] = Hidden,
    });

    /// <summary>Embedding table, hidden weights and bias, output weights and bias (computed in 64 bits).</summary>
    public static long ParameterCount(int context, int embed, int hidden) =>
        (long)ByteMlpLayout.Vocab * embed
        + (long)hidden * context * embed + hidden
        + (long)ByteMlpLayout.Vocab * hidden + ByteMlpLayout.Vocab;

    public override string ToString() => $"{ByteMlpModel.Family}(context={Context},embed={Embed},hidden={Hidden})";

    private static int Check(string name, int value, int max) =>
        value >= 1 && value <= max
            ? value
            : throw new ModelConfigException($"model.{name}", $"must be between 1 and {max}, got {value}");
}
