using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Federated.Engine.Numerics;

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
    private double _beta1Power = 1, _beta2Power = 1;   // β^t by repeated products: no libm pow, same bits everywhere

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
        _beta1Power *= o.Beta1;
        _beta2Power *= o.Beta2;
        float bc1 = (float)(1 - _beta1Power);
        float sqrtBc2 = (float)Math.Sqrt(1 - _beta2Power);
        float stepSize = learningRate / bc1;
        foreach (var t in _layout.Tensors)
        {
            float decay = t.Decay ? 1f - learningRate * o.WeightDecay : 1f;
            Update(parameters.AsSpan(t.Offset, t.Length), gradients.AsSpan(t.Offset, t.Length), M.AsSpan(t.Offset, t.Length),
                V.AsSpan(t.Offset, t.Length), decay, stepSize, sqrtBc2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float decay, float stepSize, float sqrtBc2)
    {
        float b1 = _options.Beta1, b2 = _options.Beta2, eps = _options.Eps;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1); var vb1c = Vector256.Create(1f - b1);
            var vb2 = Vector256.Create(b2); var vb2c = Vector256.Create(1f - b2);
            var vdecay = Vector256.Create(decay); var vstep = Vector256.Create(stepSize);
            var vsqrtBc2 = Vector256.Create(sqrtBc2); var veps = Vector256.Create(eps);
            for (; i + 8 <= p.Length; i += 8)
            {
                var gi = Vector256.Create(g.Slice(i, 8));
                var mi = vb1 * Vector256.Create((ReadOnlySpan<float>)m.Slice(i, 8)) + vb1c * gi;
                var vi = vb2 * Vector256.Create((ReadOnlySpan<float>)v.Slice(i, 8)) + vb2c * gi * gi;
                mi.CopyTo(m.Slice(i, 8));
                vi.CopyTo(v.Slice(i, 8));
                var pi = Vector256.Create((ReadOnlySpan<float>)p.Slice(i, 8)) * vdecay - vstep * mi / (Vector256.Sqrt(vi) / vsqrtBc2 + veps);
                pi.CopyTo(p.Slice(i, 8));
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = b1 * m[i] + (1f - b1) * gi;
            float vi = v[i] = b2 * v[i] + (1f - b2) * gi * gi;
            p[i] = p[i] * decay - stepSize * mi / (MathF.Sqrt(vi) / sqrtBc2 + eps);
        }
    }
}

/// <summary>torch.nn.utils.clip_grad_norm_: scale all gradients by maxNorm/(norm+1e-6) when that is below 1.</summary>
public static class GradientClipping
{
    /// <returns>The global L2 norm before clipping.</returns>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        float norm = (float)Math.Sqrt(FixedOrder.SumOfSquares(gradients));
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
