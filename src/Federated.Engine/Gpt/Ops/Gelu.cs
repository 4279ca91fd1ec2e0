using System.Numerics.Tensors;

namespace Federated.Engine.Gpt.Ops;

/// <summary>GELU, tanh approximation (GPT-2's; PyTorch's gelu(approximate="tanh")).</summary>
public static class Gelu
{
    private const int Chunk = 1024;
    private static readonly float Sqrt2OverPi = MathF.Sqrt(2f / MathF.PI);
    private const float Cubic = 0.044715f;

    /// <param name="out">(N)</param><param name="inp">(N)</param>
    public static void Forward(View @out, View inp, int n, int threads)
    {
        Parallelism.ForChunks(n, Chunk, threads, (i0, i1) =>
        {
            var x = inp.Span(i0, i1 - i0);
            var o = @out.Span(i0, i1 - i0);
            Span<float> th = stackalloc float[x.Length];
            Inner(x, th);
            TensorPrimitives.Tanh(th, th);
            // 0.5 x (1 + tanh(u))
            TensorPrimitives.MultiplyAdd(x, th, x, o);
            TensorPrimitives.Multiply(o, 0.5f, o);
        });
    }

    /// <summary>Overwrites dinp (the MLP's pre-activation gradient is produced only here).</summary>
    /// <param name="dinp">(N)</param><param name="inp">(N)</param><param name="dout">(N)</param>
    public static void Backward(View dinp, View inp, View dout, int n, int threads)
    {
        Parallelism.ForChunks(n, Chunk, threads, (i0, i1) =>
        {
            int len = i1 - i0;
            var x = inp.Span(i0, len);
            var d = dout.Span(i0, len);
            var dx = dinp.Span(i0, len);
            Span<float> th = stackalloc float[len];
            Inner(x, th);
            TensorPrimitives.Tanh(th, th);
            for (int i = 0; i < len; i++)
            {
                // d/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) du/dx, du/dx = sqrt(2/pi)(1 + 3·0.044715 x²)
                float xi = x[i], t = th[i];
                float du = Sqrt2OverPi * (1f + 3f * Cubic * xi * xi);
                dx[i] = d[i] * (0.5f * (1f + t) + 0.5f * xi * (1f - t * t) * du);
            }
        });
    }

    // u = sqrt(2/pi) (x + 0.044715 x³)
    private static void Inner(ReadOnlySpan<float> x, Span<float> u)
    {
        TensorPrimitives.Multiply(x, x, u);
        TensorPrimitives.Multiply(u, Cubic, u);
        TensorPrimitives.MultiplyAdd(u, x, x, u);
        TensorPrimitives.Multiply(u, Sqrt2OverPi, u);
    }
}
