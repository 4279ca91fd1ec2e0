namespace Federated.Engine.Gpt;

/// <param name="Beta1">First-moment decay (nanoGPT's 0.9).</param>
/// <param name="Beta2">Second-moment decay (nanoGPT's 0.95).</param>
/// <param name="WeightDecay">Decoupled decay, applied to matrices only (biases and LayerNorm gains are exempt).</param>
public sealed record AdamWOptions(float Beta1 = 0.9f, float Beta2 = 0.95f, float Eps = 1e-8f, float WeightDecay = 0.1f);

/// <summary>
/// AdamW exactly as torch.optim.AdamW computes it: p -= lr·wd·p, then p -= lr/(1-β1ᵗ) · m / (sqrt(v)/sqrt(1-β2ᵗ) + eps).
/// Moments are flat buffers with the parameter layout, so one loop per tensor covers the model.
/// </summary>
public sealed class AdamW
{
    private readonly GptParameterLayout _layout;
    private readonly AdamWOptions _options;

    public float[] M { get; }   // first moment, parameter layout
    public float[] V { get; }   // second moment, parameter layout
    public int StepCount { get; private set; }

    public AdamW(GptParameterLayout layout, AdamWOptions options)
    {
        _layout = layout;
        _options = options;
        M = new float[layout.Count];
        V = new float[layout.Count];
    }

    public void Step(float[] parameters, float[] gradients, float learningRate)
    {
        StepCount++;
        var o = _options;
        float b1 = o.Beta1, b2 = o.Beta2;
        float bc1 = 1f - MathF.Pow(b1, StepCount);
        float sqrtBc2 = MathF.Sqrt(1f - MathF.Pow(b2, StepCount));
        float stepSize = learningRate / bc1;
        foreach (var t in _layout.Tensors)
        {
            float decay = t.Decay ? 1f - learningRate * o.WeightDecay : 1f;
            int end = t.Offset + t.Length;
            for (int i = t.Offset; i < end; i++)
            {
                float g = gradients[i];
                float m = M[i] = b1 * M[i] + (1f - b1) * g;
                float v = V[i] = b2 * V[i] + (1f - b2) * g * g;
                parameters[i] = parameters[i] * decay - stepSize * m / (MathF.Sqrt(v) / sqrtBc2 + o.Eps);
            }
        }
    }
}

/// <summary>torch.nn.utils.clip_grad_norm_: scale all gradients by maxNorm/(norm+1e-6) when that is below 1.</summary>
public static class GradientClipping
{
    /// <returns>The global L2 norm before clipping.</returns>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        double sumSq = 0;
        foreach (float g in gradients) sumSq += (double)g * g;   // one ordered pass: deterministic
        float norm = (float)Math.Sqrt(sumSq);
        if (maxNorm > 0)
        {
            float coef = maxNorm / (norm + 1e-6f);
            if (coef < 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(gradients, coef, gradients);
        }
        return norm;
    }
}

/// <summary>Linear warmup to the peak rate, then cosine decay to <paramref name="MinRate"/> at <paramref name="TotalSteps"/>.</summary>
public sealed record LearningRateSchedule(float PeakRate, float MinRate, int WarmupSteps, int TotalSteps)
{
    public static LearningRateSchedule Constant(float rate) => new(rate, rate, 0, 1);

    /// <param name="step">0-based optimizer step.</param>
    public float At(int step)
    {
        if (step < WarmupSteps) return PeakRate * (step + 1) / WarmupSteps;
        if (step >= TotalSteps) return MinRate;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return (float)(MinRate + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (PeakRate - MinRate));
    }
}
