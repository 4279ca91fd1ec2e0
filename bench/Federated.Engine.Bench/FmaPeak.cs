using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Federated.Engine.Bench;

/// <summary>The core's measured FMA throughput: 12 independent FMA chains (enough to cover the latency of
/// two FMA pipes), one thread, at 256 and 512 bits; the best of many short runs, so a run that had the core
/// to itself sets the figure on a shared machine.</summary>
public static class FmaPeak
{
    public static float Sink; // results escape, so the JIT cannot drop the chains

    public static (double V256, double V512) MeasureGflopsPerCore()
    {
        double best256 = 0, best512 = 0;
        for (int run = 0; run < 60; run++)
        {
            best256 = Math.Max(best256, Once256(1_000_000));
            if (Vector512.IsHardwareAccelerated) best512 = Math.Max(best512, Once512(1_000_000));
        }
        return (best256, best512);
    }

    /// <summary>Our GEMM on one core, best of many runs.</summary>
    public static double GemmGflops(int m = 2048, int n = 384, int k = 128, bool transposedA = false, int reps = 1)
    {
        var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = i % 7 * 0.1f;
        for (int i = 0; i < b.Length; i++) b[i] = i % 5 * 0.1f;
        double best = 0;
        for (int run = 0; run < 50; run++)
        {
            var sw = Stopwatch.StartNew();
            for (int r = 0; r < reps; r++) Federated.Engine.Gpt.Ops.Gemm.Multiply(c, a, b, m, n, k, false, transposedA, 1);
            best = Math.Max(best, 2.0 * m * n * k * reps / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static double Once256(int iterations)
    {
        var sw = Stopwatch.StartNew();
        Sink = Chains256(iterations);
        return iterations * 12.0 * 8 * 2 / sw.Elapsed.TotalSeconds / 1e9;
    }

    // no calls inside: vector registers are caller-saved, and a call in the loop's method makes the JIT keep the chains in memory
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains256(int iterations)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> x0 = Vector256.Create(1f), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0;
        for (int i = 0; i < iterations; i++)
        {
            x0 = Vector256.FusedMultiplyAdd(x0, m, a); x1 = Vector256.FusedMultiplyAdd(x1, m, a);
            x2 = Vector256.FusedMultiplyAdd(x2, m, a); x3 = Vector256.FusedMultiplyAdd(x3, m, a);
            x4 = Vector256.FusedMultiplyAdd(x4, m, a); x5 = Vector256.FusedMultiplyAdd(x5, m, a);
            x6 = Vector256.FusedMultiplyAdd(x6, m, a); x7 = Vector256.FusedMultiplyAdd(x7, m, a);
            x8 = Vector256.FusedMultiplyAdd(x8, m, a); x9 = Vector256.FusedMultiplyAdd(x9, m, a);
            x10 = Vector256.FusedMultiplyAdd(x10, m, a); x11 = Vector256.FusedMultiplyAdd(x11, m, a);
        }
        return (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11).GetElement(0);
    }

    private static double Once512(int iterations)
    {
        var sw = Stopwatch.StartNew();
        Sink = Chains512(iterations);
        return iterations * 12.0 * 16 * 2 / sw.Elapsed.TotalSeconds / 1e9;
    }

    // no calls inside: vector registers are caller-saved, and a call in the loop's method makes the JIT keep the chains in memory
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains512(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> x0 = Vector512.Create(1f), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0;
        for (int i = 0; i < iterations; i++)
        {
            x0 = Vector512.FusedMultiplyAdd(x0, m, a); x1 = Vector512.FusedMultiplyAdd(x1, m, a);
            x2 = Vector512.FusedMultiplyAdd(x2, m, a); x3 = Vector512.FusedMultiplyAdd(x3, m, a);
            x4 = Vector512.FusedMultiplyAdd(x4, m, a); x5 = Vector512.FusedMultiplyAdd(x5, m, a);
            x6 = Vector512.FusedMultiplyAdd(x6, m, a); x7 = Vector512.FusedMultiplyAdd(x7, m, a);
            x8 = Vector512.FusedMultiplyAdd(x8, m, a); x9 = Vector512.FusedMultiplyAdd(x9, m, a);
            x10 = Vector512.FusedMultiplyAdd(x10, m, a); x11 = Vector512.FusedMultiplyAdd(x11, m, a);
        }
        return (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11).GetElement(0);
    }
}
