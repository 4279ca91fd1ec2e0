using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt;

/// <summary>Inputs (B,T) and next-token targets (B,T).</summary>
public sealed record TokenBatch(int[] Inputs, int[] Targets, int B, int T)
{
    /// <summary>B windows of T+1 tokens at uniformly drawn offsets of <paramref name="shard"/>.</summary>
    public static TokenBatch Sample(ReadOnlySpan<int> shard, int b, int t, SeededRandom rng)
    {
        if (shard.Length < t + 1) throw new ArgumentException($"shard of {shard.Length} tokens is shorter than one window of {t + 1}");
        var inputs = new int[b * t];
        var targets = new int[b * t];
        for (int i = 0; i < b; i++)
        {
            int start = rng.NextInt(shard.Length - t);
            shard.Slice(start, t).CopyTo(inputs.AsSpan(i * t, t));
            shard.Slice(start + 1, t).CopyTo(targets.AsSpan(i * t, t));
        }
        return new TokenBatch(inputs, targets, b, t);
    }
}

/// <summary>One optimizer step's outcome.</summary>
public readonly record struct StepResult(float Loss, float GradNorm, float LearningRate);

/// <summary>
/// Owns parameters, gradients and AdamW moments (all in the layout of <see cref="GptParameterLayout"/>)
/// and runs optimizer steps: zero grads, forward+backward over each micro-batch (gradient accumulation),
/// clip the global norm, AdamW.
/// </summary>
public sealed class GptTrainer
{
    public GptNetwork Network { get; }
    public float[] Parameters { get; }
    public float[] Gradients { get; }
    public AdamW Optimizer { get; }
    public float GradClip { get; init; } = 1f;

    public GptTrainer(GptConfig config, float[] parameters, AdamWOptions adam, int threads = 1)
    {
        Network = new GptNetwork(config) { Threads = threads };
        if (parameters.Length != Network.Layout.Count)
            throw new ArgumentException($"expected {Network.Layout.Count} parameters for {config}, got {parameters.Length}", nameof(parameters));
        Parameters = parameters;
        Gradients = new float[parameters.Length];
        Optimizer = new AdamW(Network.Layout, adam);
    }

    public StepResult Step(IReadOnlyList<TokenBatch> microBatches, float learningRate)
    {
        Array.Clear(Gradients);
        double loss = 0;
        float scale = 1f / microBatches.Count;
        foreach (var mb in microBatches)
        {
            loss += Network.Forward(Parameters, mb.Inputs, mb.Targets, mb.B, mb.T);
            Network.Backward(Parameters, Gradients, mb.Inputs, mb.Targets, scale);
        }
        float norm = GradientClipping.ClipByGlobalNorm(Gradients, GradClip);
        Optimizer.Step(Parameters, Gradients, learningRate);
        return new StepResult((float)(loss / microBatches.Count), norm, learningRate);
    }
}
