namespace Federated.Engine.Gpt;

/// <summary>One named tensor inside the flat parameter buffer (PyTorch name, nn.Linear layout (out, in)).</summary>
/// <param name="Decay">True for matrices (weight decay applies), false for biases and LayerNorm gains.</param>
public sealed record ParameterTensor(string Name, int Offset, int[] Shape, bool Decay)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>Offsets of one block's tensors in the flat buffer.</summary>
public readonly record struct BlockOffsets(
    int Ln1W, int Ln1B, int AttnW, int AttnB, int AttnProjW, int AttnProjB,
    int Ln2W, int Ln2B, int FcW, int FcB, int FcProjW, int FcProjB);

/// <summary>
/// The one place that sizes the parameter buffer from the config. Parameters, gradients and both AdamW
/// moments share this layout, so zeroing, averaging, deltas and checkpoints are single loops.
/// The LM head is tied to <c>wte.weight</c>: there is no separate <c>lm_head.weight</c>.
/// </summary>
public sealed class GptParameterLayout
{
    public GptConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors { get; }
    public int Count { get; }
    public int Wte { get; }      // (V,C)
    public int Wpe { get; }      // (T,C)
    public BlockOffsets[] Blocks { get; }
    public int LnfW { get; }     // (C)
    public int LnfB { get; }     // (C)

    public GptParameterLayout(GptConfig config)
    {
        Config = config;
        int c = config.Width;
        var tensors = new List<ParameterTensor>();
        int offset = 0;
        int Add(string name, bool decay, params int[] shape)
        {
            var t = new ParameterTensor(name, offset, shape, decay);
            tensors.Add(t);
            offset += t.Length;
            return t.Offset;
        }
        Wte = Add("wte.weight", true, config.Vocab, c);
        Wpe = Add("wpe.weight", true, config.Context, c);
        Blocks = new BlockOffsets[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            string p = $"h.{l}.";
            Blocks[l] = new BlockOffsets(
                Ln1W: Add(p + "ln_1.weight", false, c),
                Ln1B: Add(p + "ln_1.bias", false, c),
                AttnW: Add(p + "attn.c_attn.weight", true, 3 * c, c),
                AttnB: Add(p + "attn.c_attn.bias", false, 3 * c),
                AttnProjW: Add(p + "attn.c_proj.weight", true, c, c),
                AttnProjB: Add(p + "attn.c_proj.bias", false, c),
                Ln2W: Add(p + "ln_2.weight", false, c),
                Ln2B: Add(p + "ln_2.bias", false, c),
                FcW: Add(p + "mlp.c_fc.weight", true, 4 * c, c),
                FcB: Add(p + "mlp.c_fc.bias", false, 4 * c),
                FcProjW: Add(p + "mlp.c_proj.weight", true, c, 4 * c),
                FcProjB: Add(p + "mlp.c_proj.bias", false, c));
        }
        LnfW = Add("ln_f.weight", false, c);
        LnfB = Add("ln_f.bias", false, c);
        Tensors = tensors;
        Count = offset;
    }

    public ParameterTensor this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"no tensor named '{name}' in {Config}");

    /// <summary>The named view of <paramref name="buffer"/> (parameters, gradients or moments).</summary>
    public Span<float> View(float[] buffer, string name)
    {
        var t = this[name];
        return buffer.AsSpan(t.Offset, t.Length);
    }

    /// <summary>Throws naming the first tensor and element that is NaN or infinite.</summary>
    public void ThrowIfNotFinite(ReadOnlySpan<float> buffer)
    {
        foreach (var t in Tensors)
        {
            var view = buffer.Slice(t.Offset, t.Length);
            for (int i = 0; i < view.Length; i++)
                if (!float.IsFinite(view[i]))
                    throw new InvalidDataException($"tensor '{t.Name}' holds {view[i]} at element {i}");
        }
    }

    /// <summary>Parameter count computed in 64 bits, so validation can refuse configs that overflow.</summary>
    public static long CountParameters(GptConfig config)
    {
        long c = config.Width;
        long perBlock = 2 * c + (3 * c * c + 3 * c) + (c * c + c) + 2 * c + (4 * c * c + 4 * c) + (4 * c * c + c);
        return (long)config.Vocab * c + (long)config.Context * c + config.Layers * perBlock + 2 * c;
    }
}
