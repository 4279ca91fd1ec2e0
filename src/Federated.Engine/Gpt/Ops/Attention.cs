using System.Buffers;
using System.Numerics.Tensors;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// Causal multi-head self-attention on a fused qkv buffer laid out as nanoGPT's c_attn output:
/// (B,T,3C) = [q | k | v], head h at columns h*hs of each. One work item per (batch, head) runs the products
/// as GEMMs over 64-row causal blocks (query rows [i0,i1) only meet keys [0,i1)), reading q, k, v and writing
/// their gradients in place through row strides (3C or C). Items write disjoint outputs, so any thread count
/// gives the same bits.
/// </summary>
public static class Attention
{
    private const int Block = 64;

    /// <param name="out">(B,T,C)</param><param name="att">(B,H,T,T) softmax probabilities, zero above the diagonal</param>
    /// <param name="qkv">(B,T,3C)</param>
    public static void Forward(View @out, View att, View qkv, int b, int t, int c, int h, int threads)
    {
        _ = @out.Span(0, b * t * c); _ = att.Span(0, b * h * t * t); _ = qkv.Span(0, b * t * 3 * c);
        Parallelism.For(b * h, threads, item => ForwardHead(@out, att, qkv, item, t, c, h));
    }

    /// <summary>Overwrites dqkv.</summary>
    /// <param name="dqkv">(B,T,3C)</param><param name="dout">(B,T,C)</param>
    /// <param name="qkv">(B,T,3C)</param><param name="att">(B,H,T,T)</param>
    public static void Backward(View dqkv, View dout, View qkv, View att, int b, int t, int c, int h, int threads)
    {
        _ = dqkv.Span(0, b * t * 3 * c); _ = dout.Span(0, b * t * c); _ = att.Span(0, b * h * t * t); _ = qkv.Span(0, b * t * 3 * c);
        Parallelism.For(b * h, threads, item => BackwardHead(dqkv, dout, qkv, att, item, t, c, h));
    }

    private static void ForwardHead(View @out, View att, View qkv, int item, int t, int c, int h)
    {
        int hs = c / h, bi = item / h, hi = item % h, c3 = 3 * c;
        float scale = 1f / MathF.Sqrt(hs);
        // the head's q, k, v are read in place: rows of hs floats, 3C apart (the GEMM packs what it reuses)
        View q = qkv.At(bi * t * c3 + hi * hs), k = q.At(c), v = q.At(2 * c);
        View o = @out.At(bi * t * c + hi * hs);               // rows C apart
        View p = att.At(item * t * t);                         // (T,T)
        for (int i0 = 0; i0 < t; i0 += Block)
        {
            int i1 = Math.Min(t, i0 + Block);
            // scores = q kᵀ, k read as a transposed operand
            Gemm.Multiply(p.At(i0 * t), t, q.At(i0 * c3), c3, false, k, c3, true, i1 - i0, i1, hs, false, 1);
        }
        for (int ti = 0; ti < t; ti++)
        {
            var row = p.Span(ti * t, t);
            var live = row[..(ti + 1)];
            TensorPrimitives.Multiply(live, scale, live);
            FixedOrder.SoftMax(live, live);
            row[(ti + 1)..].Clear();
        }
        for (int i0 = 0; i0 < t; i0 += Block)
        {
            int i1 = Math.Min(t, i0 + Block);
            Gemm.Multiply(o.At(i0 * c), c, p.At(i0 * t), t, false, v, c3, false, i1 - i0, hs, i1, false, 1);
        }
    }

    private static void BackwardHead(View dqkv, View dout, View qkv, View att, int item, int t, int c, int h)
    {
        int hs = c / h, bi = item / h, hi = item % h, c3 = 3 * c;
        float scale = 1f / MathF.Sqrt(hs);
        View q = qkv.At(bi * t * c3 + hi * hs), k = q.At(c), v = q.At(2 * c);
        View dq = dqkv.At(bi * t * c3 + hi * hs), dk = dq.At(c), dv = dq.At(2 * c);
        View dO = dout.At(bi * t * c + hi * hs);
        View p = att.At(item * t * t);
        var dp = ArrayPool<float>.Shared.Rent(t * t);
        try
        {
            View dpv = dp;
            for (int i0 = 0; i0 < t; i0 += Block)
            {
                int i1 = Math.Min(t, i0 + Block);
                Gemm.Multiply(dpv.At(i0 * t), t, dO.At(i0 * c), c, false, v, c3, true, i1 - i0, i1, hs, false, 1);     // dP = dO vᵀ
                // dv rows [i0,i1) = Pᵀ dO over the query rows that see them (i ≥ i0)
                Gemm.Multiply(dv.At(i0 * c3), c3, p.At(i0 * t + i0), t, true, dO.At(i0 * c), c, i1 - i0, hs, t - i0, false, 1);
            }
            for (int ti = 0; ti < t; ti++)
            {
                // softmax backward: dS = P ⊙ (dP - Σ P·dP), then the score scale
                var pr = p.Span(ti * t, ti + 1);
                var d = dp.AsSpan(ti * t, ti + 1);
                float s = FixedOrder.Dot(pr, d);
                TensorPrimitives.Subtract(d, s, d);
                TensorPrimitives.Multiply(d, pr, d);
                TensorPrimitives.Multiply(d, scale, d);
                dp.AsSpan(ti * t + ti + 1, t - ti - 1).Clear();
            }
            for (int i0 = 0; i0 < t; i0 += Block)
            {
                int i1 = Math.Min(t, i0 + Block);
                Gemm.Multiply(dq.At(i0 * c3), c3, dpv.At(i0 * t), t, false, k, c3, i1 - i0, hs, i1, false, 1);                 // dq = dS k
                Gemm.Multiply(dk.At(i0 * c3), c3, dpv.At(i0 * t + i0), t, true, q.At(i0 * c3), c3, i1 - i0, hs, t - i0, false, 1); // dk = dSᵀ q
            }
        }
        finally { ArrayPool<float>.Shared.Return(dp); }
    }
}
