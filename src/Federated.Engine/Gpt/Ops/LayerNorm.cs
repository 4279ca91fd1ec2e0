using System.Numerics.Tensors;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>LayerNorm over the last dimension, eps 1e-5 (PyTorch's default), biased variance.</summary>
public static class LayerNorm
{
    public const float Eps = 1e-5f;
    private const int RowsPerItem = 32;

    /// <param name="out">(BT,C)</param><param name="mean">(BT) cached for backward</param><param name="rstd">(BT) cached</param>
    /// <param name="inp">(BT,C)</param><param name="weight">(C)</param><param name="bias">(C)</param>
    public static void Forward(View @out, View mean, View rstd, View inp, View weight, View bias, int bt, int c, int threads)
    {
        Parallelism.ForChunks(bt, RowsPerItem, threads, (r0, r1) =>
        {
            var w = weight.Span(0, c);
            var b = bias.Span(0, c);
            for (int r = r0; r < r1; r++)
            {
                var x = inp.Span(r * c, c);
                var o = @out.Span(r * c, c);
                float m = FixedOrder.Sum(x) / c;
                TensorPrimitives.Subtract(x, m, o);                  // o = x - m
                float v = FixedOrder.Dot(o, o) / c;
                float s = 1f / MathF.Sqrt(v + Eps);
                TensorPrimitives.Multiply(o, s, o);                  // normalised
                TensorPrimitives.FusedMultiplyAdd(o, w, b, o);       // * w + b
                mean[r] = m;
                rstd[r] = s;
            }
        });
    }

    /// <summary>Accumulates into dinp, dweight and dbias.</summary>
    /// <param name="dinp">(BT,C)</param><param name="dweight">(C)</param><param name="dbias">(C)</param>
    /// <param name="dout">(BT,C)</param><param name="inp">(BT,C)</param><param name="weight">(C)</param>
    /// <param name="mean">(BT)</param><param name="rstd">(BT)</param>
    public static void Backward(View dinp, View dweight, View dbias, View dout, View inp, View weight, View mean, View rstd,
        int bt, int c, int threads)
    {
        Parallelism.ForChunks(bt, RowsPerItem, threads, (r0, r1) =>
        {
            var norm = new float[c];
            var dnorm = new float[c];
            var w = weight.Span(0, c);
            for (int r = r0; r < r1; r++)
            {
                var d = dout.Span(r * c, c);
                TensorPrimitives.Subtract(inp.Span(r * c, c), mean[r], norm);
                TensorPrimitives.Multiply(norm, rstd[r], norm);
                TensorPrimitives.Multiply(d, w, dnorm);
                float meanD = FixedOrder.Sum(dnorm) / c;
                float meanDN = FixedOrder.Dot(dnorm, norm) / c;
                // dx = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))
                TensorPrimitives.MultiplyAdd(norm, -meanDN, dnorm, dnorm);
                TensorPrimitives.Subtract(dnorm, meanD, dnorm);
                var dx = dinp.Span(r * c, c);
                TensorPrimitives.MultiplyAdd(dnorm, rstd[r], dx, dx);
            }
        });
        // parameter gradients sum over rows: one pass in row order keeps them deterministic
        var nrm = new float[c];
        var dw = dweight.Span(0, c);
        var db = dbias.Span(0, c);
        for (int r = 0; r < bt; r++)
        {
            var d = dout.Span(r * c, c);
            TensorPrimitives.Subtract(inp.Span(r * c, c), mean[r], nrm);
            TensorPrimitives.Multiply(nrm, rstd[r], nrm);
            TensorPrimitives.MultiplyAdd(d, nrm, dw, dw);
            TensorPrimitives.Add(db, d, db);
        }
    }
}
