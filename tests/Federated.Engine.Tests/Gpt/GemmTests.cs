using Federated.Engine.Gpt.Ops;
using static Federated.Engine.Tests.Gpt.GradientCheck;

namespace Federated.Engine.Tests.Gpt;

public class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 33, 7)]
    [InlineData(67, 64, 300)]   // K beyond one 256 block, M beyond one 64-row item
    [InlineData(130, 96, 513)]
    public void Multiply_matches_a_plain_triple_loop(int m, int n, int k)
    {
        var a = Random(m * k, 1); var b = Random(k * n, 2); var c0 = Random(m * n, 3);
        var aT = new float[a.Length];
        Gemm.Transpose(aT, a, m, k);
        foreach (var (accumulate, transposed) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var c = (float[])c0.Clone();
            Gemm.Multiply(c, transposed ? aT : a, b, m, n, k, accumulate, transposed, threads: 2);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = accumulate ? c0[i * n + j] : 0;
                    for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                    Assert.True(Math.Abs(s - c[i * n + j]) <= 1e-4 * (1 + Math.Abs(s)), $"c[{i},{j}] = {c[i * n + j]}, expected {s}");
                }
        }
    }

    [Fact]
    public void Multiply_gives_identical_bits_for_any_thread_count()
    {
        int m = 200, n = 96, k = 600;
        var a = Random(m * k, 4); var b = Random(k * n, 5);
        var one = new float[m * n]; var two = new float[m * n];
        Gemm.Multiply(one, a, b, m, n, k, false, threads: 1);
        Gemm.Multiply(two, a, b, m, n, k, false, threads: 2);
        Assert.Equal(one, two);
    }

    [Fact]
    public void Transpose_swaps_rows_and_columns()
    {
        var src = Random(35 * 70, 6);
        var dst = new float[src.Length];
        Gemm.Transpose(dst, src, 35, 70);
        Assert.Equal(src[3 * 70 + 41], dst[41 * 35 + 3]);
        Assert.Equal(src[34 * 70 + 69], dst[69 * 35 + 34]);
    }
}
