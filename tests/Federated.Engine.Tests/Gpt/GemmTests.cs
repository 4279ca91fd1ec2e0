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
    [InlineData(70, 208, 40)]   // 6-, 4- and 1-row tiles; 64-wide panels then 16-wide ones where 512-bit vectors run
    public void Multiply_matches_a_plain_triple_loop(int m, int n, int k)
    {
        var a = Random(m * k, 1); var b = Random(k * n, 2); var c0 = Random(m * n, 3);
        var aT = new float[a.Length]; var bT = new float[b.Length];
        Gemm.Transpose(aT, a, m, k);
        Gemm.Transpose(bT, b, k, n);
        foreach (var (accumulate, transposed, transposedB) in new[]
                 { (false, false, false), (true, false, false), (false, true, false), (true, true, false), (false, false, true), (true, false, true) })
        {
            var c = (float[])c0.Clone();
            if (transposedB) Gemm.MultiplyTransposedB(c, a, bT, m, n, k, accumulate, threads: 2);
            else Gemm.Multiply(c, transposed ? aT : a, b, m, n, k, accumulate, transposed, threads: 2);
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

    [Theory]
    [InlineData(70, 208, 300)]   // 4x64 tiles, 16-wide panels after the 64-wide ones, single rows, a scalar column
    [InlineData(9, 129, 40)]
    public void Both_panel_widths_give_the_same_bits(int m, int n, int k)
    {
        // the 512-bit path runs here in software where the CPU lacks it: slow, but the same FMA chains
        var a = Random(m * k, 9); var b = Random(k * n, 10); var c0 = Random(m * n, 11);
        float[] Run(bool wide, bool accumulate)
        {
            var c = (float[])c0.Clone();
            Gemm.WidePanels = wide;
            try { Gemm.Multiply(c, a, b, m, n, k, accumulate, threads: 2); }
            finally { Gemm.WidePanels = null; }
            return c;
        }
        foreach (bool accumulate in new[] { false, true })
            Assert.Equal(Run(false, accumulate), Run(true, accumulate));
    }

    [Theory]
    [InlineData(70, 208, 300, false)]   // two K blocks, 6/4/1-row tiles, a scalar column
    [InlineData(70, 208, 300, true)]    // the same through 64-wide panels
    [InlineData(5, 3, 0, false)]        // an empty sum: c becomes the bias
    public void A_bias_starts_the_sums_exactly_as_copying_it_in_and_accumulating(int m, int n, int k, bool wide)
    {
        var a = Random(m * k, 12); var bT = Random(n * k, 13); var bias = Random(n, 14);
        var copied = new float[m * n];
        for (int i = 0; i < m; i++) bias.CopyTo(copied, i * n);
        var fused = Random(m * n, 15);   // whatever c held before is overwritten
        Gemm.WidePanels = wide;
        try
        {
            Gemm.MultiplyTransposedB(copied, a, bT, m, n, k, accumulate: true, threads: 2);
            Gemm.MultiplyTransposedB(fused, a, bT, m, n, k, accumulate: false, threads: 2, bias);
        }
        finally { Gemm.WidePanels = null; }
        Assert.Equal(copied, fused);
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposedB(fused, a, bT, m, n, k, accumulate: true, threads: 1, bias));
    }

    [Fact]
    public void A_transposed_operand_gives_the_same_bits_as_the_plain_one()
    {
        // the packed panels are the same whichever way b is stored, so the FMA chains are too
        int m = 37, n = 80, k = 300;
        var a = Random(m * k, 7); var b = Random(k * n, 8);
        var bT = new float[b.Length];
        Gemm.Transpose(bT, b, k, n);
        var plain = new float[m * n]; var viaT = new float[m * n];
        Gemm.Multiply(plain, a, b, m, n, k, false, threads: 1);
        Gemm.MultiplyTransposedB(viaT, a, bT, m, n, k, false, threads: 1);
        Assert.Equal(plain, viaT);
    }

    [Theory]
    [InlineData(35, 70)]     // 8x8 register blocks plus ragged edges in both directions
    [InlineData(64, 96)]
    [InlineData(3, 5)]
    public void Transpose_swaps_rows_and_columns(int rows, int cols)
    {
        var src = Random(rows * cols, 6);
        var dst = new float[src.Length];
        Gemm.Transpose(dst, src, rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(src[i * cols + j], dst[j * rows + i]);
    }
}
