using Federated.Engine.Numerics;

namespace Federated.Engine.Tests.Gpt;

/// <summary>Central finite differences against an op's analytic backward, in float32 (the ops' precision).</summary>
internal static class GradientCheck
{
    /// <summary>Deterministic pseudo-random values in [-scale, scale).</summary>
    public static float[] Random(int n, int seed, float scale = 1f)
    {
        var rng = new SeededRandom((ulong)seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return a;
    }

    public static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    /// <summary>
    /// Perturbs up to <paramref name="samples"/> entries of <paramref name="x"/> by ±eps and checks
    /// (L(x+eps) - L(x-eps)) / 2eps against <paramref name="analytic"/>, within
    /// tol · (|analytic| + 0.1·max|analytic| + 1e-3).
    /// </summary>
    public static void Check(string what, float[] x, float[] analytic, Func<double> loss, int samples = 48, float eps = 1e-2f, double tol = 2e-2)
    {
        double maxAbs = analytic.Max(v => Math.Abs(v));
        int count = Math.Min(samples, x.Length);
        for (int k = 0; k < count; k++)
        {
            int i = count == x.Length ? k : (int)((k * 7919L + 13) % x.Length);
            float saved = x[i];
            x[i] = saved + eps; double up = loss();
            x[i] = saved - eps; double down = loss();
            x[i] = saved;
            double fd = (up - down) / (2 * eps);
            double allowed = tol * (Math.Abs(analytic[i]) + 0.1 * maxAbs + 1e-3);
            Assert.True(Math.Abs(fd - analytic[i]) <= allowed,
                $"{what}[{i}]: finite difference {fd:G6} vs backward {analytic[i]:G6} (allowed {allowed:G3})");
        }
    }
}
