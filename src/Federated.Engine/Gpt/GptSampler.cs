using System.Numerics.Tensors;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt;

/// <param name="Temperature">Divides the logits; 0 picks the most likely token (greedy).</param>
/// <param name="TopK">Sample among the k most likely tokens only (0 = all).</param>
public sealed record SamplingOptions(int MaxNewTokens, float Temperature = 1f, int TopK = 0, ulong Seed = 1);

/// <summary>Writes into <paramref name="logits"/> (vocab) the logits for the token after the last of <paramref name="window"/>.</summary>
public delegate void NextTokenLogits(int[] window, Span<float> logits);

/// <summary>
/// Autoregressive sampling for `fed generate`: re-runs the forward pass over the last <c>context</c>
/// tokens for each new token (no KV cache: simple, and fast enough for the small configs). The same
/// weights, prompt and options give the same tokens.
/// </summary>
public static class GptSampler
{
    public static int[] Generate(GptConfig config, float[] parameters, ReadOnlySpan<int> prompt, SamplingOptions options)
    {
        var layout = new GptParameterLayout(config);
        if (parameters.Length != layout.Count)
            throw new ArgumentException($"expected {layout.Count} parameters for {config}, got {parameters.Length}", nameof(parameters));
        layout.ThrowIfNotFinite(parameters);
        var net = new GptNetwork(config);
        return Generate(config.Context, config.Vocab, prompt, options, (window, logits) =>
        {
            net.Forward(parameters, window, [], 1, window.Length);
            net.Logits.Slice((window.Length - 1) * config.Vocab, config.Vocab).CopyTo(logits);
        });
    }

    /// <summary>
    /// The sampling loop over any model that gives next-token logits: the engine above, or an exported model
    /// run elsewhere (ONNX Runtime). One loop for both, so the same logits and seed pick the same tokens.
    /// </summary>
    /// <param name="next">Writes the vocab logits for the token after the last of the window (at most context tokens).</param>
    public static int[] Generate(int context, int vocab, ReadOnlySpan<int> prompt, SamplingOptions options, NextTokenLogits next)
    {
        if (prompt.IsEmpty) throw new ArgumentException("the prompt needs at least one token", nameof(prompt));
        if (options.MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxNewTokens, "MaxNewTokens must be >= 0");
        if (options.Temperature < 0 || !float.IsFinite(options.Temperature))
            throw new ArgumentOutOfRangeException(nameof(options), options.Temperature, "temperature must be finite and >= 0");
        if (options.TopK < 0) throw new ArgumentOutOfRangeException(nameof(options), options.TopK, "top-k must be >= 0");
        var rng = new SeededRandom(options.Seed);
        var tokens = new List<int>(prompt.ToArray());
        var logits = new float[vocab];
        var probs = new float[vocab];
        for (int n = 0; n < options.MaxNewTokens; n++)
        {
            int t = Math.Min(tokens.Count, context);
            next(tokens.GetRange(tokens.Count - t, t).ToArray(), logits);
            tokens.Add(Pick(logits, probs, options, rng));
        }
        return tokens.GetRange(prompt.Length, options.MaxNewTokens).ToArray();
    }

    private static int Pick(ReadOnlySpan<float> logits, float[] probs, SamplingOptions o, SeededRandom rng)
    {
        if (o.Temperature == 0f) return TensorPrimitives.IndexOfMax(logits);
        TensorPrimitives.Divide(logits, o.Temperature, probs);
        if (o.TopK > 0 && o.TopK < probs.Length)
        {
            // keep the k largest: everything below the k-th largest value is excluded
            var sorted = probs.ToArray();
            Array.Sort(sorted);
            float threshold = sorted[^o.TopK];
            for (int i = 0; i < probs.Length; i++) if (probs[i] < threshold) probs[i] = float.NegativeInfinity;
        }
        FixedOrder.SoftMax(probs, probs);
        double u = rng.NextDouble(), cumulative = 0;
        for (int i = 0; i < probs.Length; i++)
        {
            cumulative += probs[i];
            if (u < cumulative) return i;
        }
        return TensorPrimitives.IndexOfMax(probs); // rounding left u above the total
    }
}
