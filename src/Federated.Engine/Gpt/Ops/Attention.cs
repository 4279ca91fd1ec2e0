using System.Buffers;
using System.Numerics.Tensors;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// Causal multi-head self-attention on a fused qkv buffer laid out as nanoGPT's c_attn output:
/// (B,T,3C) = [q | k | v], head h at columns h*hs of each. One work item per (batch, head) gathers its
/// head into contiguous (T,hs) blocks and runs the products as GEMMs over 64-row causal blocks (query rows
/// [i0,i1) only meet keys [0,i1)). Items write disjoint outputs, so any thread count gives the same bits.
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
        int hs = c / h, bi = item / h, hi = item % h;
        float scale = 1f / MathF.Sqrt(hs);
        var pool = ArrayPool<float>.Shared;
        float[] q = pool.Rent(t * hs), kT = pool.Rent(hs * t), v = pool.Rent(t * hs), o = pool.Rent(t * hs);
        try
        {
            var head = new HeadLayout(bi, hi, t, 3 * c, hs);
            head.Gather(q, qkv, 0);                         // (T,hs)
            head.GatherTransposed(kT, qkv, c);              // (hs,T)
            head.Gather(v, qkv, 2 * c);                     // (T,hs)
            View p = att.At(item * t * t);                  // (T,T)
            for (int i0 = 0; i0 < t; i0 += Block)
            {
                int i1 = Math.Min(t, i0 + Block);
                Gemm.Multiply(p.At(i0 * t), t, q.AsView(i0 * hs), hs, false, kT, t, i1 - i0, i1, hs, false, 1);
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
                Gemm.Multiply(o.AsView(i0 * hs), hs, p.At(i0 * t), t, false, v, hs, i1 - i0, hs, i1, false, 1);
            }
            head.Scatter(@out, c, 0, o);
        }
        finally
        {
            pool.Return(q); pool.Return(kT); pool.Return(v); pool.Return(o);
        }
    }

    private static void BackwardHead(View dqkv, View dout, View qkv, View att, int item, int t, int c, int h)
    {
        int hs = c / h, bi = item / h, hi = item % h, c3 = 3 * c;
        float scale = 1f / MathF.Sqrt(hs);
        var pool = ArrayPool<float>.Shared;
        float[] q = pool.Rent(t * hs), k = pool.Rent(t * hs), vT = pool.Rent(hs * t), dO = pool.Rent(t * hs);
        float[] dq = pool.Rent(t * hs), dk = pool.Rent(t * hs), dv = pool.Rent(t * hs), dp = pool.Rent(t * t);
        try
        {
            var head = new HeadLayout(bi, hi, t, c3, hs);
            head.Gather(q, qkv, 0);
            head.Gather(k, qkv, c);
            head.GatherTransposed(vT, qkv, 2 * c);
            new HeadLayout(bi, hi, t, c, hs).Gather(dO, dout, 0);
            View p = att.At(item * t * t);
            View dpv = dp;
            for (int i0 = 0; i0 < t; i0 += Block)
            {
                int i1 = Math.Min(t, i0 + Block);
                Gemm.Multiply(dpv.At(i0 * t), t, dO.AsView(i0 * hs), hs, false, vT, t, i1 - i0, i1, hs, false, 1);     // dP = dO vᵀ
                // dv rows [i0,i1) = Pᵀ dO over the query rows that see them (i ≥ i0)
                Gemm.Multiply(dv.AsView(i0 * hs), hs, p.At(i0 * t + i0), t, true, dO.AsView(i0 * hs), hs, i1 - i0, hs, t - i0, false, 1);
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
                Gemm.Multiply(dq.AsView(i0 * hs), hs, dpv.At(i0 * t), t, false, k, hs, i1 - i0, hs, i1, false, 1);          // dq = dS k
                Gemm.Multiply(dk.AsView(i0 * hs), hs, dpv.At(i0 * t + i0), t, true, q.AsView(i0 * hs), hs, i1 - i0, hs, t - i0, false, 1); // dk = dSᵀ q
            }
            head.Scatter(dqkv, c3, 0, dq);
            head.Scatter(dqkv, c3, c, dk);
            head.Scatter(dqkv, c3, 2 * c, dv);
        }
        finally
        {
            pool.Return(q); pool.Return(k); pool.Return(vT); pool.Return(dO);
            pool.Return(dq); pool.Return(dk); pool.Return(dv); pool.Return(dp);
        }
    }

    /// <summary>Where one (batch, head) lives in a (B,T,width) buffer: rows of hs floats at column offset + h*hs.</summary>
    private readonly record struct HeadLayout(int Batch, int Head, int T, int Width, int Hs)
    {
        private int Row(int ti, int column) => (Batch * T + ti) * Width + column + Head * Hs;

        public void Gather(float[] dst, View src, int column)
        {
            for (int ti = 0; ti < T; ti++) ShortCopy.Floats(src.Span(Row(ti, column), Hs), dst.AsSpan(ti * Hs, Hs));
        }

        public void GatherTransposed(float[] dst, View src, int column)
        {
            for (int ti = 0; ti < T; ti++)
            {
                var row = src.Span(Row(ti, column), Hs);
                for (int d = 0; d < Hs; d++) dst[d * T + ti] = row[d];
            }
        }

        public void Scatter(View dst, int width, int column, float[] src)
        {
            var layout = this with { Width = width };
            for (int ti = 0; ti < T; ti++) ShortCopy.Floats(src.AsSpan(ti * Hs, Hs), dst.Span(layout.Row(ti, column), Hs));
        }
    }
}
