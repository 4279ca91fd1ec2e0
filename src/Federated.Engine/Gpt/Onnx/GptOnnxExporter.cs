namespace Federated.Engine.Gpt.Onnx;

/// <summary>
/// Writes the forward pass as a standard ONNX model (opset 17): input "input_ids" int64 (batch, sequence),
/// output "logits" float (batch, sequence, vocab). Weights are initializers under their PyTorch names in
/// nn.Linear layout; the graph transposes them (ONNX Runtime folds those constants at load).
/// Ops used: Gather, Shape, Range, Add, Mul, Sub, Div, LayerNormalization, MatMul, Transpose, Split,
/// Reshape, Softmax, Unsqueeze, Greater, Where, Tanh — all in the default domain.
/// </summary>
public static class GptOnnxExporter
{
    public const int Opset = 17;

    /// <summary>
    /// The config an exported model names at the start of its graph description (see <see cref="Build"/>);
    /// null when the description does not start with one (a model written by another tool). Readers of an
    /// export need the context length, which the graph's dynamic input shape does not carry.
    /// </summary>
    public static GptConfig? ConfigFromDescription(string? description)
    {
        var m = System.Text.RegularExpressions.Regex.Match(description ?? "",
            @"^gpt\(vocab=(\d{1,9}),context=(\d{1,9}),layers=(\d{1,9}),heads=(\d{1,9}),width=(\d{1,9})\)");
        if (!m.Success) return null;
        int At(int i) => int.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new GptConfig(At(1), At(2), At(3), At(4), At(5));
    }

    public static void Export(string path, GptConfig config, ReadOnlySpan<float> parameters)
    {
        var bytes = Build(config, parameters);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static byte[] Build(GptConfig config, ReadOnlySpan<float> parameters)
    {
        var layout = new GptParameterLayout(config);
        if (parameters.Length != layout.Count)
            throw new ArgumentException($"expected {layout.Count} parameters for {config}, got {parameters.Length}", nameof(parameters));
        layout.ThrowIfNotFinite(parameters);
        var g = new OnnxGraph("gpt");
        foreach (var t in layout.Tensors)
            g.Initializer(t.Name, t.Shape.Select(d => (long)d).ToArray(), parameters.Slice(t.Offset, t.Length));
        int c = config.Width, h = config.Heads, hs = config.HeadSize;

        g.Input("input_ids", OnnxGraph.Int64, "batch", "sequence");
        string zero = g.ScalarInt64("const.zero", 0), one = g.ScalarInt64("const.one", 1);
        string axis0 = g.Initializer("const.axes0", [1], [0L]), axis1 = g.Initializer("const.axes1", [1], [1L]);
        string seqLen = g.Node("Gather", [g.Node("Shape", ["input_ids"]), one], ("axis", 0));     // scalar T
        string positions = g.Node("Range", [zero, seqLen, one]);                                   // (T)
        // causal mask: key position > query position is hidden
        string hidden = g.Node("Greater", [g.Node("Unsqueeze", [positions, axis0]), g.Node("Unsqueeze", [positions, axis1])]); // (T,T)
        string minusInf = g.ScalarFloat("const.minus_inf", float.NegativeInfinity);
        string scale = g.ScalarFloat("const.attn_scale", 1f / MathF.Sqrt(hs));
        string headsShape = g.Initializer("const.heads_shape", [4], [0L, 0L, h, hs]);              // (B,T,C) -> (B,T,H,hs)
        string mergedShape = g.Initializer("const.merged_shape", [3], [0L, 0L, c]);
        string split = g.Initializer("const.qkv_split", [3], [(long)c, c, c]);

        string x = g.Node("Add", [g.Node("Gather", ["wte.weight", "input_ids"], ("axis", 0)),        // (B,T,C)
                                  g.Node("Gather", ["wpe.weight", positions], ("axis", 0))]);        // + (T,C)
        for (int l = 0; l < config.Layers; l++)
        {
            string p = $"h.{l}.";
            string ln1 = LayerNorm(g, x, p + "ln_1");
            string qkv = Linear(g, ln1, p + "attn.c_attn");                                          // (B,T,3C)
            var parts = g.NodeMulti("Split", [qkv, split], 3, ("axis", 2));
            string Heads(string t, long[] perm) => g.Node("Transpose", [g.Node("Reshape", [t, headsShape])], ("perm", perm));
            string q = Heads(parts[0], [0, 2, 1, 3]);                                                // (B,H,T,hs)
            string kT = Heads(parts[1], [0, 2, 3, 1]);                                               // (B,H,hs,T)
            string v = Heads(parts[2], [0, 2, 1, 3]);                                                // (B,H,T,hs)
            string scores = g.Node("Mul", [g.Node("MatMul", [q, kT]), scale]);                       // (B,H,T,T)
            string att = g.Node("Softmax", [g.Node("Where", [hidden, minusInf, scores])], ("axis", -1));
            string y = g.Node("Transpose", [g.Node("MatMul", [att, v])], ("perm", new long[] { 0, 2, 1, 3 })); // (B,T,H,hs)
            x = g.Node("Add", [x, Linear(g, g.Node("Reshape", [y, mergedShape]), p + "attn.c_proj")]);
            string ln2 = LayerNorm(g, x, p + "ln_2");
            string fc = Gelu(g, Linear(g, ln2, p + "mlp.c_fc"), l);                                  // (B,T,4C)
            x = g.Node("Add", [x, Linear(g, fc, p + "mlp.c_proj")]);
        }
        string lnf = LayerNorm(g, x, "ln_f");
        string wteT = g.Node("Transpose", ["wte.weight"], ("perm", new long[] { 1, 0 }));
        g.NodeTo("logits", "MatMul", [lnf, wteT]);                                                  // tied head, (B,T,V)
        g.Output("logits", OnnxGraph.Float, "batch", "sequence", (long)config.Vocab);
        return g.ToModel(Opset, "Federated.Engine", $"{config}; LM head tied to wte.weight; GELU tanh approximation");
    }

    private static string LayerNorm(OnnxGraph g, string x, string prefix) =>
        g.Node("LayerNormalization", [x, prefix + ".weight", prefix + ".bias"], ("axis", -1), ("epsilon", 1e-5f));

    private static string Linear(OnnxGraph g, string x, string prefix) =>
        g.Node("Add", [g.Node("MatMul", [x, g.Node("Transpose", [prefix + ".weight"], ("perm", new long[] { 1, 0 }))]), prefix + ".bias"]);

    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³))): opset 17 has no Gelu op, so it is spelled out
    private static string Gelu(OnnxGraph g, string x, int layer)
    {
        string k = g.ScalarFloat($"const.gelu_k.{layer}", MathF.Sqrt(2f / MathF.PI));
        string cubic = g.ScalarFloat($"const.gelu_c.{layer}", 0.044715f);
        string half = g.ScalarFloat($"const.gelu_half.{layer}", 0.5f);
        string oneF = g.ScalarFloat($"const.gelu_one.{layer}", 1f);
        string x3 = g.Node("Mul", [g.Node("Mul", [x, x]), x]);
        string inner = g.Node("Mul", [g.Node("Add", [x, g.Node("Mul", [x3, cubic])]), k]);
        return g.Node("Mul", [g.Node("Mul", [x, half]), g.Node("Add", [g.Node("Tanh", [inner]), oneF])]);
    }
}
