using Federated.Engine.Gpt.Ops;

namespace Federated.Engine.Gpt;

/// <summary>
/// The forward and backward passes of the whole model over flat parameter and gradient buffers, as a
/// fixed sequence of ops (llm.c's gpt2_forward / gpt2_backward shape). Backward accumulates into the
/// gradient buffer, so gradient accumulation is just several backward calls before one optimizer step.
/// </summary>
public sealed class GptNetwork(GptConfig config)
{
    private GptActivations? _acts;

    public GptConfig Config { get; } = config;
    public GptParameterLayout Layout { get; } = new(config);
    public int Threads { get; set; } = 1;

    /// <summary>Logits of the last forward pass, (B,T,V).</summary>
    public ReadOnlySpan<float> Logits => Acts.Logits.AsSpan(0, Acts.B * Acts.T * Config.Vocab);

    private GptActivations Acts => _acts ?? throw new InvalidOperationException("call Forward first");

    /// <summary>Runs the model on tokens (B,T); with targets (B,T) returns the mean cross-entropy, else NaN.</summary>
    public float Forward(float[] p, ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int b, int t)
    {
        CheckBatch(tokens, targets, b, t);
        if (_acts is null || _acts.B != b || _acts.T != t) _acts = new GptActivations(Config, b, t);
        var a = _acts;
        int c = Config.Width, bt = b * t, v = Config.Vocab, h = Config.Heads, n = Threads;
        var L = Layout;
        Encoder.Forward(a.Encoded, tokens, new View(p, L.Wte), new View(p, L.Wpe), b, t, c);
        for (int l = 0; l < Config.Layers; l++)
        {
            var w = L.Blocks[l];
            float[] input = l == 0 ? a.Encoded : a.Residual3[l - 1];
            LayerNorm.Forward(a.Ln1[l], a.Ln1Mean[l], a.Ln1Rstd[l], input, new View(p, w.Ln1W), new View(p, w.Ln1B), bt, c, n);
            MatMul.Forward(a.Qkv[l], a.Ln1[l], new View(p, w.AttnW), new View(p, w.AttnB), bt, c, 3 * c, n);
            Attention.Forward(a.Atty[l], a.Att[l], a.Qkv[l], b, t, c, h, n);
            MatMul.Forward(a.Branch, a.Atty[l], new View(p, w.AttnProjW), new View(p, w.AttnProjB), bt, c, c, n);
            Residual.Forward(a.Residual2[l], input, a.Branch, bt * c);
            LayerNorm.Forward(a.Ln2[l], a.Ln2Mean[l], a.Ln2Rstd[l], a.Residual2[l], new View(p, w.Ln2W), new View(p, w.Ln2B), bt, c, n);
            MatMul.Forward(a.Fch[l], a.Ln2[l], new View(p, w.FcW), new View(p, w.FcB), bt, c, 4 * c, n);
            Gelu.Forward(a.FchGelu[l], a.Fch[l], bt * 4 * c, n);
            MatMul.Forward(a.Branch, a.FchGelu[l], new View(p, w.FcProjW), new View(p, w.FcProjB), bt, 4 * c, c, n);
            Residual.Forward(a.Residual3[l], a.Residual2[l], a.Branch, bt * c);
        }
        LayerNorm.Forward(a.Lnf, a.LnfMean, a.LnfRstd, a.Residual3[^1], new View(p, L.LnfW), new View(p, L.LnfB), bt, c, n);
        MatMul.Forward(a.Logits, a.Lnf, new View(p, L.Wte), null, bt, c, v, n); // tied LM head
        if (targets.IsEmpty) return float.NaN;
        SoftmaxCrossEntropy.Forward(a.Probs, a.Losses, a.Logits, targets, bt, v, n);
        double sum = 0;
        for (int i = 0; i < bt; i++) sum += a.Losses[i];
        return (float)(sum / bt);
    }

    /// <summary>Accumulates d(lossScale · mean loss)/dp into <paramref name="g"/> for the last forward pass.
    /// Use lossScale = 1/k when accumulating k micro-batches.</summary>
    public void Backward(float[] p, float[] g, ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, float lossScale = 1f)
    {
        var a = Acts;
        int b = a.B, t = a.T, c = Config.Width, bt = b * t, v = Config.Vocab, h = Config.Heads, n = Threads;
        if (targets.Length != bt) throw new ArgumentException("Backward needs the targets of the last Forward", nameof(targets));
        var L = Layout;
        SoftmaxCrossEntropy.Backward(a.DLogits, a.Probs, targets, lossScale / bt, bt, v, n);
        MatMul.Backward(a.DLn, new View(g, L.Wte), null, a.DLogits, a.Lnf, new View(p, L.Wte), bt, c, v, n);
        Array.Clear(a.DResidual);
        LayerNorm.Backward(a.DResidual, new View(g, L.LnfW), new View(g, L.LnfB), a.DLn, a.Residual3[^1], new View(p, L.LnfW),
            a.LnfMean, a.LnfRstd, bt, c, n);
        // a.DResidual now holds the gradient of the residual stream; each branch adds its share back in
        for (int l = Config.Layers - 1; l >= 0; l--)
        {
            var w = L.Blocks[l];
            float[] input = l == 0 ? a.Encoded : a.Residual3[l - 1];
            MatMul.Backward(a.DFchGelu, new View(g, w.FcProjW), new View(g, w.FcProjB), a.DResidual, a.FchGelu[l], new View(p, w.FcProjW),
                bt, 4 * c, c, n);
            Gelu.Backward(a.DFch, a.Fch[l], a.DFchGelu, bt * 4 * c, n);
            MatMul.Backward(a.DLn, new View(g, w.FcW), new View(g, w.FcB), a.DFch, a.Ln2[l], new View(p, w.FcW), bt, c, 4 * c, n);
            LayerNorm.Backward(a.DResidual, new View(g, w.Ln2W), new View(g, w.Ln2B), a.DLn, a.Residual2[l], new View(p, w.Ln2W),
                a.Ln2Mean[l], a.Ln2Rstd[l], bt, c, n);
            MatMul.Backward(a.DAtty, new View(g, w.AttnProjW), new View(g, w.AttnProjB), a.DResidual, a.Atty[l], new View(p, w.AttnProjW),
                bt, c, c, n);
            Attention.Backward(a.DQkv, a.DAtty, a.Qkv[l], a.Att[l], b, t, c, h, n);
            MatMul.Backward(a.DLn, new View(g, w.AttnW), new View(g, w.AttnB), a.DQkv, a.Ln1[l], new View(p, w.AttnW), bt, c, 3 * c, n);
            LayerNorm.Backward(a.DResidual, new View(g, w.Ln1W), new View(g, w.Ln1B), a.DLn, input, new View(p, w.Ln1W),
                a.Ln1Mean[l], a.Ln1Rstd[l], bt, c, n);
        }
        Encoder.Backward(new View(g, L.Wte), new View(g, L.Wpe), a.DResidual, tokens, b, t, c);
    }

    private void CheckBatch(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int b, int t)
    {
        if (b < 1) throw new ArgumentOutOfRangeException(nameof(b), b, "batch size must be at least 1");
        if (t < 1 || t > Config.Context)
            throw new ArgumentOutOfRangeException(nameof(t), t, $"sequence length {t} exceeds the configured context {Config.Context}");
        if (tokens.Length != b * t) throw new ArgumentException($"expected {b * t} tokens (B={b}, T={t}), got {tokens.Length}", nameof(tokens));
        if (!targets.IsEmpty && targets.Length != b * t)
            throw new ArgumentException($"expected {b * t} targets, got {targets.Length}", nameof(targets));
        CheckIds(tokens, nameof(tokens));
        CheckIds(targets, nameof(targets));
    }

    private void CheckIds(ReadOnlySpan<int> ids, string what)
    {
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)Config.Vocab)
                throw new ArgumentOutOfRangeException(what, ids[i], $"token id {ids[i]} at position {i} is outside the vocabulary [0, {Config.Vocab})");
    }
}
