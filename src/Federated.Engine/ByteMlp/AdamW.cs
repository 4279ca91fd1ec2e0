using Federated.Engine.Parameters;

namespace Federated.Engine.ByteMlp;

/// <summary>
/// AdamW (Loshchilov and Hutter) over a flat parameter vector: beta1 0.9, beta2 0.95, epsilon 1e-8,
/// bias-corrected moments, and weight decay decoupled from the gradient and applied to matrices only
/// (the slices marked <see cref="ParameterSlice.IsMatrix"/>), not to biases. The moments mirror the
/// parameter layout and start at zero: a worker receives weights only, so every Train call starts a
/// fresh optimizer.
/// </summary>
public sealed class AdamW
{
    public const float Beta1 = 0.9f;
    public const float Beta2 = 0.95f; // nanoGPT/llm.c's choice: adapts quickly over the few local steps of a round
    public const float Epsilon = 1e-8f;

    private readonly IReadOnlyList<ParameterSlice> _slices;
    private readonly float[] _m; // (P) first moment
    private readonly float[] _v; // (P) second moment
    private double _beta1Power = 1, _beta2Power = 1; // running products: Math.Pow is not portable bit for bit

    /// <param name="slices">Tiles the parameter vector; says which ranges get weight decay.</param>
    public AdamW(IReadOnlyList<ParameterSlice> slices, int count)
    {
        _slices = slices;
        _m = new float[count];
        _v = new float[count];
    }

    public int Step { get; private set; }

    /// <summary>
    /// One step: <c>target -= lr * (mhat / (sqrt(vhat) + eps) + decay * weights)</c>. <paramref name="target"/>
    /// is normally the weights themselves; the trainer passes its running update instead (see ByteMlpTrainer).
    /// </summary>
    /// <param name="target">(P) what the step moves.</param>
    /// <param name="grads">(P) gradient at <paramref name="weights"/>.</param>
    /// <param name="weights">(P) current weights, read for the decay term; may be the same memory as target.</param>
    public void Update(Span<float> target, ReadOnlySpan<float> grads, ReadOnlySpan<float> weights, float learningRate, float weightDecay)
    {
        Step++;
        _beta1Power *= Beta1;
        _beta2Power *= Beta2;
        float correction1 = (float)(1.0 - _beta1Power);
        float correction2 = (float)(1.0 - _beta2Power);
        foreach (var slice in _slices)
        {
            float decay = slice.IsMatrix ? weightDecay : 0f;
            for (int i = slice.Offset; i < slice.End; i++)
            {
                float g = grads[i];
                float m = _m[i] = Beta1 * _m[i] + (1f - Beta1) * g;
                float v = _v[i] = Beta2 * _v[i] + (1f - Beta2) * g * g;
                float mHat = m / correction1;
                float vHat = v / correction2;
                target[i] -= learningRate * (mHat / (MathF.Sqrt(vHat) + Epsilon) + decay * weights[i]);
            }
        }
    }
}
