using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// Causal multi-head self-attention on a fused qkv buffer laid out as nanoGPT's c_attn output:
/// (B,T,3C) = [q | k | v], head h at columns h*hs of each. One work item per (batch, head): each writes
/// only its own head's columns, so items never share outputs.
/// </summary>
public static class Attention
{
    /// <param name="out">(B,T,C)</param><param name="att">(B,H,T,T) softmax probabilities, zero above the diagonal</param>
    /// <param name="qkv">(B,T,3C)</param>
    public static void Forward(View @out, View att, View qkv, int b, int t, int c, int h, int threads)
    {
        Parallelism.For(b * h, threads, item => ForwardHead(@out, att, qkv, item, t, c, h));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardHead(View @out, View att, View qkv, int item, int t, int c, int h)
    {
        int hs = c / h, c3 = 3 * c, bi = item / h, hi = item % h;
        float scale = 1f / MathF.Sqrt(hs);
        View qkvB = qkv.At(bi * t * c3 + hi * hs);
        {
            for (int ti = 0; ti < t; ti++)
            {
                var row = att.Span((item * t + ti) * t, t);
                ref float q = ref qkvB.At(ti * c3).Ref;
                for (int t2 = 0; t2 <= ti; t2++)
                    row[t2] = SimdLoops.Dot(ref q, ref qkvB.At(t2 * c3 + c).Ref, hs) * scale;
                var live = row[..(ti + 1)];
                TensorPrimitives.SoftMax(live, live);
                row[(ti + 1)..].Clear();
                ref float o = ref @out.At((bi * t + ti) * c + hi * hs).Ref;
                Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref o), 0, (uint)(hs * sizeof(float)));
                for (int t2 = 0; t2 <= ti; t2++)
                    SimdLoops.Axpy(ref o, row[t2], ref qkvB.At(t2 * c3 + 2 * c).Ref, hs);
            }
        }
    }

    /// <summary>Overwrites dqkv.</summary>
    /// <param name="dqkv">(B,T,3C)</param><param name="dout">(B,T,C)</param>
    /// <param name="qkv">(B,T,3C)</param><param name="att">(B,H,T,T)</param>
    public static void Backward(View dqkv, View dout, View qkv, View att, int b, int t, int c, int h, int threads)
    {
        Parallelism.For(b * h, threads, item => BackwardHead(dqkv, dout, qkv, att, item, t, c, h));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardHead(View dqkv, View dout, View qkv, View att, int item, int t, int c, int h)
    {
        int hs = c / h, c3 = 3 * c, bi = item / h, hi = item % h;
        float scale = 1f / MathF.Sqrt(hs);
        View qkvB = qkv.At(bi * t * c3 + hi * hs);
        {
            View dqkvB = dqkv.At(bi * t * c3 + hi * hs);
            for (int ti = 0; ti < t; ti++)
                for (int part = 0; part < 3; part++)
                    dqkvB.Span(ti * c3 + part * c, hs).Clear();
            var datt = new float[t];
            for (int ti = 0; ti < t; ti++)
            {
                var row = att.Span((item * t + ti) * t, t);
                ref float dO = ref dout.At((bi * t + ti) * c + hi * hs).Ref;
                for (int t2 = 0; t2 <= ti; t2++)
                {
                    datt[t2] = SimdLoops.Dot(ref dO, ref qkvB.At(t2 * c3 + 2 * c).Ref, hs);
                    SimdLoops.Axpy(ref dqkvB.At(t2 * c3 + 2 * c).Ref, row[t2], ref dO, hs);   // dv
                }
                // softmax backward: dpre = p * (datt - Σ p·datt)
                float s = TensorPrimitives.Dot(row[..(ti + 1)], datt.AsSpan(0, ti + 1));
                ref float q = ref qkvB.At(ti * c3).Ref;
                ref float dq = ref dqkvB.At(ti * c3).Ref;
                for (int t2 = 0; t2 <= ti; t2++)
                {
                    float dpre = row[t2] * (datt[t2] - s) * scale;
                    SimdLoops.Axpy(ref dq, dpre, ref qkvB.At(t2 * c3 + c).Ref, hs);              // dq
                    SimdLoops.Axpy(ref dqkvB.At(t2 * c3 + c).Ref, dpre, ref q, hs);              // dk
                }
            }
        }
    }
}
