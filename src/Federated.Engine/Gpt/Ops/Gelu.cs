using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>GELU, tanh approximation (GPT-2's; PyTorch's gelu(approximate="tanh")).
/// One fused SIMD pass per direction, tanh(u) = 1 - 2/(exp(2u)+1), which saturates cleanly at ±1.</summary>
public static class Gelu
{
    private const int Chunk = 4096;
    private static readonly float Sqrt2OverPi = MathF.Sqrt(2f / MathF.PI);
    private const float Cubic = 0.044715f;

    /// <param name="out">(N)</param><param name="inp">(N)</param>
    public static void Forward(View @out, View inp, int n, int threads)
    {
        _ = inp.Span(0, n); _ = @out.Span(0, n); // bounds, checked once
        Parallelism.ForChunks(n, Chunk, threads, (i0, i1) => ForwardRange(ref @out.Ref, ref inp.Ref, i0, i1));
    }

    /// <summary>Overwrites dinp (the MLP's pre-activation gradient is produced only here).</summary>
    /// <param name="dinp">(N)</param><param name="inp">(N)</param><param name="dout">(N)</param>
    public static void Backward(View dinp, View inp, View dout, int n, int threads)
    {
        _ = inp.Span(0, n); _ = dout.Span(0, n); _ = dinp.Span(0, n);
        Parallelism.ForChunks(n, Chunk, threads, (i0, i1) => BackwardRange(ref dinp.Ref, ref inp.Ref, ref dout.Ref, i0, i1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRange(ref float o, ref float x, int i0, int i1)
    {
        int i = i0;
        for (; i + 8 <= i1; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            var th = Tanh(Inner(v));
            (Vector256.Create(0.5f) * v * (Vector256<float>.One + th)).StoreUnsafe(ref o, (nuint)i);
        }
        if (i < i1)
        {
            // the tail goes through the same vector code, padded, so every element gets the same bits
            Span<float> pad = stackalloc float[8];
            pad.Clear();
            for (int j = i; j < i1; j++) pad[j - i] = Unsafe.Add(ref x, j);
            ForwardRange(ref pad[0], ref pad[0], 0, 8);
            for (int j = i; j < i1; j++) Unsafe.Add(ref o, j) = pad[j - i];
        }
    }

    // d/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) du/dx, with du/dx = sqrt(2/pi)(1 + 3·0.044715 x²)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRange(ref float dx, ref float x, ref float dout, int i0, int i1)
    {
        var half = Vector256.Create(0.5f);
        var k = Vector256.Create(Sqrt2OverPi);
        var c3 = Vector256.Create(3f * Cubic);
        int i = i0;
        for (; i + 8 <= i1; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            var th = Tanh(Inner(v));
            var du = k * (Vector256<float>.One + c3 * v * v);
            var local = half * (Vector256<float>.One + th) + half * v * (Vector256<float>.One - th * th) * du;
            (local * Vector256.LoadUnsafe(ref dout, (nuint)i)).StoreUnsafe(ref dx, (nuint)i);
        }
        if (i < i1)
        {
            Span<float> px = stackalloc float[8], pd = stackalloc float[8];
            px.Clear(); pd.Clear();
            for (int j = i; j < i1; j++) { px[j - i] = Unsafe.Add(ref x, j); pd[j - i] = Unsafe.Add(ref dout, j); }
            BackwardRange(ref pd[0], ref px[0], ref pd[0], 0, 8);
            for (int j = i; j < i1; j++) Unsafe.Add(ref dx, j) = pd[j - i];
        }
    }

    // u = sqrt(2/pi) (x + 0.044715 x³)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Inner(Vector256<float> x) =>
        Vector256.Create(Sqrt2OverPi) * (x + Vector256.Create(Cubic) * x * x * x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> u) =>
        Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(u + u) + Vector256<float>.One);
}
