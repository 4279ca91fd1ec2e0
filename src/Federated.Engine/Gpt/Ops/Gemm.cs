using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// c (M,N) (+)= a (M,K) @ b (K,N), all row-major, with a optionally stored transposed as (K,M) (the weight
/// gradient's doutᵀ), b optionally stored transposed as (N,K) (a linear layer's (OC,C) weight), and an optional
/// bias row that starts the sums. The loop nest follows BLIS/GotoBLAS: b is packed into contiguous column
/// panels (16 wide, 64 with native 512-bit vectors) so a KC-deep strip stays in L1 while the row tiles of an
/// item stream past it; a transposed a is transposed once (8x8 AVX blocks) and then read in place like a
/// row-major one; register tiles are 6x16 on AVX2 (12 accumulators of 16 registers) and 4x64 on AVX-512.
/// docs/engine.md has the measurements behind each choice.
/// Every path computes each element as the same chain of fused multiply-adds over k in order, so the
/// vector width and the packing change speed, not bits. Rows are split into fixed 48-row items, so the result
/// does not depend on the thread count either.
/// </summary>
public static class Gemm
{
    // MC: rows per work item, a multiple of both tile heights (6 and 4) so no item ends in a narrower tile
    private const int MR = 4, KC = 256, MC = 48, Narrow = 16;

    /// <summary>Width of the main column panels: one 4x64 tile with 512-bit vectors, else one 6x16 tile. Read once
    /// per call, so the packing and the kernels agree.</summary>
    private static int Wide => (WidePanels ?? Vector512.IsHardwareAccelerated) ? 64 : Narrow;

    /// <summary>Tests set this on their thread to run the 512-bit path where the CPU lacks it (Vector512 then runs
    /// in software: slow, same bits). Null: decided by the hardware.</summary>
    [ThreadStatic] internal static bool? WidePanels;

    public static void Multiply(View c, View a, View b, int m, int n, int k, bool accumulate, int threads) =>
        Multiply(c, a, b, m, n, k, accumulate, transposedA: false, threads);

    /// <param name="transposedA">a is stored (K,M): element (i,p) at a[p*M + i].</param>
    public static void Multiply(View c, View a, View b, int m, int n, int k, bool accumulate, bool transposedA, int threads) =>
        Multiply(c, n, a, transposedA ? m : k, transposedA, b, n, false, m, n, k, accumulate, threads);

    /// <summary>c (M,N) (+)= a (M,K) @ bᵀ where b is stored (N,K), e.g. a weight in nn.Linear layout; with a
    /// bias (N), c = bias + a @ bᵀ, each row's sums starting from the bias.</summary>
    public static void MultiplyTransposedB(View c, View a, View b, int m, int n, int k, bool accumulate, int threads, View? bias = null) =>
        Multiply(c, n, a, k, false, b, k, true, m, n, k, accumulate, threads, bias);

    public static void Multiply(View c, int ldc, View a, int lda, bool transposedA, View b, int ldb, int m, int n, int k, bool accumulate, int threads) =>
        Multiply(c, ldc, a, lda, transposedA, b, ldb, false, m, n, k, accumulate, threads);

    /// <summary>The general form over sub-matrices: ldc, lda, ldb are row strides of the stored matrices
    /// (a stored (K,M) when <paramref name="transposedA"/>, b stored (N,K) when <paramref name="transposedB"/>),
    /// so a block of a larger matrix needs no copy.</summary>
    public static void Multiply(View c, int ldc, View a, int lda, bool transposedA, View b, int ldb, bool transposedB,
        int m, int n, int k, bool accumulate, int threads, View? bias = null)
    {
        if (bias is not null && accumulate) throw new ArgumentException("a bias starts the sums: it cannot be combined with accumulating into c", nameof(bias));
        if (m == 0 || n == 0) return;
        CheckSize(c, (m - 1) * ldc + n, nameof(c));
        if (bias is { } bv) CheckSize(bv, n, nameof(bias));
        if (k == 0)
        {
            // an empty sum: c keeps its values, or becomes zero (the bias, with one)
            if (!accumulate)
                for (int i = 0; i < m; i++)
                    if (bias is { } row) row.Span(0, n).CopyTo(c.Span(i * ldc, n));
                    else c.Span(i * ldc, n).Clear();
            return;
        }
        CheckSize(a, transposedA ? (k - 1) * lda + m : (m - 1) * lda + k, nameof(a));
        CheckSize(b, transposedB ? (n - 1) * ldb + k : (k - 1) * ldb + n, nameof(b));
        var bs = new Strides(transposedB ? 1 : ldb, transposedB ? ldb : 1);
        int packedCols = n - n % Narrow, wide = Wide;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var packed = pool.Rent(Math.Max(1, k * packedCols));
        // a stored (K,M) is transposed to (M,K) first: read in place, each row tile would gather its k steps from
        // rows of the stored matrix far apart in memory, and those cache misses cost about a third of the weight
        // gradient's time (measured); the copy is one pass at memory speed
        var aT = transposedA ? pool.Rent(m * k) : null;
        try
        {
            if (aT is not null)
            {
                View stored = a;
                Parallelism.ForChunks(m, MC, threads, (r0, r1) =>
                    Transposition.Strided(ref aT[r0 * k], k, ref stored.At(r0).Ref, lda, k, r1 - r0));
                (a, lda) = (aT, k);
            }
            Pack(packed, b, bs, k, packedCols, wide, threads);
            View rowMajor = a;
            int rowStride = lda;
            Parallelism.ForChunks(m, MC, threads, (r0, r1) =>
                Rows(c, rowMajor, b, bs, bias, packed, r0, r1, n, packedCols, wide, k, rowStride, ldc, accumulate));
        }
        finally
        {
            pool.Return(packed);
            if (aT is not null) pool.Return(aT);
        }
    }

    /// <summary>Element (p, j) of b is at b[p*Row + j*Col].</summary>
    private readonly record struct Strides(int Row, int Col);

    private static void CheckSize(View v, int needed, string name)
    {
        if (v.Offset < 0 || needed < 0 || v.Offset + (long)needed > v.Array.Length)
            throw new ArgumentException($"{name}: {needed} elements from offset {v.Offset} exceed buffer of {v.Array.Length}");
    }

    /// <summary>Width of the panel at column j: Wide-column panels first, then Narrow ones for what is left. A panel
    /// that starts at column j and is w wide holds element (p, j + jj) at packed[j*k + p*w + jj].</summary>
    private static int PanelWidth(int j, int packedCols, int wide) => j < packedCols - packedCols % wide ? wide : Narrow;

    private static void Pack(float[] packed, View b, Strides bs, int k, int packedCols, int wide, int threads)
    {
        if (packedCols == 0) return;
        // panel q starts at column q*Narrow when Narrow-wide, and a Wide panel is Wide/Narrow of those
        Parallelism.For(packedCols / Narrow, k * packedCols >= 1 << 16 ? threads : 1, q =>
        {
            int j = q * Narrow, w = PanelWidth(j, packedCols, wide);
            if (j % w != 0) return;   // inside a wide panel: packed by the item at its start
            var dst = packed.AsSpan(j * k, k * w);
            if (bs.Col == 1)
            {
                ref float src = ref b.At(j).Ref;   // checked by Multiply
                ref float d = ref dst[0];
                for (int p = 0; p < k; p++)
                    for (int jj = 0; jj < w; jj += 8)   // w is 16 or 64: whole vectors, no call per row
                        Vector256.LoadUnsafe(ref src, (nuint)(p * bs.Row + jj)).StoreUnsafe(ref d, (nuint)(p * w + jj));
            }
            else
                // b stored transposed: columns j..j+w are w rows of k floats, checked by Multiply
                Transposition.Strided(ref dst[0], w, ref b.At(j * bs.Col).Ref, bs.Col, w, k);
        });
    }

    // a row-major, row i at a[i*lda], read in place
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(View c, View a, View b, Strides bs, View? bias, float[] packed, int r0, int r1, int n, int packedCols, int wide, int k,
        int lda, int ldc, bool accumulate)
    {
        for (int k0 = 0; k0 < k; k0 += KC)
            Block(c, a.At(k0), b, bs, bias, packed, r0, r1, n, packedCols, wide, k, k0, Math.Min(KC, k - k0), lda, ldc, k0 == 0 && !accumulate);
    }

    /// <summary>Rows per register tile for the rows left in an item: 6 (4 where 512-bit tiles run), then a
    /// 4-row tile, then single rows.</summary>
    private static int GroupRows(int left, int wide) => wide == Narrow && left >= 6 ? 6 : left >= MR ? MR : 1;

    // one K block [k0, k0 + kc) for rows [r0, r1): a's element (i, p) at a[i*lda + p] with p relative to k0.
    // first: the block starts each element's sum, from bias[j] when there is a bias, else from zero
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(View c, View a, View b, Strides bs, View? bias, float[] packed, int r0, int r1, int n, int packedCols,
        int wide, int k, int k0, int kc, int lda, int ldc, bool first)
    {
        bool fromBias = first && bias is not null, zero = first && bias is null;
        View init = fromBias ? bias!.Value : default;
        for (int j = 0, w; j < packedCols; j += w)
        {
            w = PanelWidth(j, packedCols, wide);
            ref float panel = ref packed[j * k + k0 * w];
            for (int i = r0, g; i < r1; i += g)
            {
                g = GroupRows(r1 - i, wide);
                ref float ai = ref a.At(i * lda).Ref;
                ref float ci = ref c.At(i * ldc + j).Ref;
                // the sums start from c itself (a later K block, or accumulating) or from the bias row (stride 0)
                ref float si = ref fromBias ? ref init.At(j).Ref : ref ci;
                int ldi = fromBias ? 0 : ldc;
                if (g == 6) Kernel6x16(ref ci, ref ai, ref panel, lda, ldc, kc, zero, ref si, ldi);
                else if (g == MR && w == Narrow) Kernel4x16(ref ci, ref ai, ref panel, lda, Narrow, ldc, kc, zero, ref si, ldi);
                else if (g == MR) Kernel4x64(ref ci, ref ai, ref panel, lda, w, ldc, kc, zero, ref si, ldi);
                else   // a single row: 16-wide kernels do the same per-element FMAs
                    for (int jj = 0; jj < w; jj += Narrow)
                        Kernel1x16(ref Unsafe.Add(ref ci, jj), ref ai, ref Unsafe.Add(ref panel, jj), kc, zero, ref Unsafe.Add(ref si, jj), w);
            }
        }
        for (int i = r0; i < r1; i++)
            for (int j = packedCols; j < n; j++)
            {
                float sum = fromBias ? init[j] : zero ? 0f : c[i * ldc + j];
                for (int p = 0; p < kc; p++) sum = MathF.FusedMultiplyAdd(a[i * lda + p], b[(k0 + p) * bs.Row + j * bs.Col], sum);
                c[i * ldc + j] = sum;
            }
    }

    // 12 accumulators + 2 B vectors + a broadcast: 15 of AVX2's 16 registers, enough independent FMA chains to
    // cover the FMA latency of two pipes; B is a packed 16-wide panel, a row-major with its six rows lda apart.
    // Two k steps per iteration, a indexed by one counter (measured 10-15% faster than one step with a pointer
    // per row). Every element still sees its FMAs in k order. Each kernel's sums start from zero, or from init
    // (rows ldi apart: c itself, or a bias row with ldi = 0).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(ref float c, ref float a, ref float b, int lda, int ldc, int kc, bool zero, ref float init, int ldi)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (zero)
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }
        else
        {
            c00 = Vector256.LoadUnsafe(ref init); c01 = Vector256.LoadUnsafe(ref init, 8);
            c10 = Vector256.LoadUnsafe(ref init, (nuint)ldi); c11 = Vector256.LoadUnsafe(ref init, (nuint)(ldi + 8));
            c20 = Vector256.LoadUnsafe(ref init, (nuint)(2 * ldi)); c21 = Vector256.LoadUnsafe(ref init, (nuint)(2 * ldi + 8));
            c30 = Vector256.LoadUnsafe(ref init, (nuint)(3 * ldi)); c31 = Vector256.LoadUnsafe(ref init, (nuint)(3 * ldi + 8));
            c40 = Vector256.LoadUnsafe(ref init, (nuint)(4 * ldi)); c41 = Vector256.LoadUnsafe(ref init, (nuint)(4 * ldi + 8));
            c50 = Vector256.LoadUnsafe(ref init, (nuint)(5 * ldi)); c51 = Vector256.LoadUnsafe(ref init, (nuint)(5 * ldi + 8));
        }
        ref float bp = ref b;
        // a row-major: six rows lda apart, each contiguous along k
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float a4 = ref Unsafe.Add(ref a, 4 * lda);
        ref float a5 = ref Unsafe.Add(ref a, 5 * lda);
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 8);
            var x = Vector256.Create(Unsafe.Add(ref a, p)); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p)); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p)); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p)); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a4, p)); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a5, p)); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            b0 = Vector256.LoadUnsafe(ref bp, 16); b1 = Vector256.LoadUnsafe(ref bp, 24);
            x = Vector256.Create(Unsafe.Add(ref a, p + 1)); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p + 1)); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p + 1)); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p + 1)); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a4, p + 1)); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a5, p + 1)); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            bp = ref Unsafe.Add(ref bp, 2 * Narrow);
        }
        if (p < kc)
        {
            var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 8);
            var x = Vector256.Create(Unsafe.Add(ref a, p)); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p)); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p)); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p)); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a4, p)); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a5, p)); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }
        c00.StoreUnsafe(ref c); c01.StoreUnsafe(ref c, 8);
        c10.StoreUnsafe(ref c, (nuint)ldc); c11.StoreUnsafe(ref c, (nuint)(ldc + 8));
        c20.StoreUnsafe(ref c, (nuint)(2 * ldc)); c21.StoreUnsafe(ref c, (nuint)(2 * ldc + 8));
        c30.StoreUnsafe(ref c, (nuint)(3 * ldc)); c31.StoreUnsafe(ref c, (nuint)(3 * ldc + 8));
        c40.StoreUnsafe(ref c, (nuint)(4 * ldc)); c41.StoreUnsafe(ref c, (nuint)(4 * ldc + 8));
        c50.StoreUnsafe(ref c, (nuint)(5 * ldc)); c51.StoreUnsafe(ref c, (nuint)(5 * ldc + 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x16(ref float c, ref float a, ref float b, int lda, int ldb, int ldc, int kc, bool zero, ref float init, int ldi)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
        ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
        if (zero)
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        }
        else
        {
            c00 = Vector256.LoadUnsafe(ref init); c01 = Vector256.LoadUnsafe(ref init, 8);
            c10 = Vector256.LoadUnsafe(ref init, (nuint)ldi); c11 = Vector256.LoadUnsafe(ref init, (nuint)(ldi + 8));
            c20 = Vector256.LoadUnsafe(ref init, (nuint)(2 * ldi)); c21 = Vector256.LoadUnsafe(ref init, (nuint)(2 * ldi + 8));
            c30 = Vector256.LoadUnsafe(ref init, (nuint)(3 * ldi)); c31 = Vector256.LoadUnsafe(ref init, (nuint)(3 * ldi + 8));
        }
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 8);
            var x = Vector256.Create(Unsafe.Add(ref a, p));
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        c00.StoreUnsafe(ref r0); c01.StoreUnsafe(ref r0, 8);
        c10.StoreUnsafe(ref r1); c11.StoreUnsafe(ref r1, 8);
        c20.StoreUnsafe(ref r2); c21.StoreUnsafe(ref r2, 8);
        c30.StoreUnsafe(ref r3); c31.StoreUnsafe(ref r3, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x64(ref float c, ref float a, ref float b, int lda, int ldb, int ldc, int kc, bool zero, ref float init, int ldi)
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
        ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
        if (zero)
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector512<float>.Zero;
        }
        else
        {
            c00 = Vector512.LoadUnsafe(ref init); c01 = Vector512.LoadUnsafe(ref init, 16); c02 = Vector512.LoadUnsafe(ref init, 32); c03 = Vector512.LoadUnsafe(ref init, 48);
            c10 = Vector512.LoadUnsafe(ref init, (nuint)(ldi)); c11 = Vector512.LoadUnsafe(ref init, (nuint)(ldi + 16)); c12 = Vector512.LoadUnsafe(ref init, (nuint)(ldi + 32)); c13 = Vector512.LoadUnsafe(ref init, (nuint)(ldi + 48));
            c20 = Vector512.LoadUnsafe(ref init, (nuint)(2 * ldi)); c21 = Vector512.LoadUnsafe(ref init, (nuint)(2 * ldi + 16)); c22 = Vector512.LoadUnsafe(ref init, (nuint)(2 * ldi + 32)); c23 = Vector512.LoadUnsafe(ref init, (nuint)(2 * ldi + 48));
            c30 = Vector512.LoadUnsafe(ref init, (nuint)(3 * ldi)); c31 = Vector512.LoadUnsafe(ref init, (nuint)(3 * ldi + 16)); c32 = Vector512.LoadUnsafe(ref init, (nuint)(3 * ldi + 32)); c33 = Vector512.LoadUnsafe(ref init, (nuint)(3 * ldi + 48));
        }
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var b0 = Vector512.LoadUnsafe(ref bp); var b1 = Vector512.LoadUnsafe(ref bp, 16);
            var b2 = Vector512.LoadUnsafe(ref bp, 32); var b3 = Vector512.LoadUnsafe(ref bp, 48);
            var x = Vector512.Create(Unsafe.Add(ref a, p));
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, p));
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a2, p));
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a3, p));
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
        }
        c00.StoreUnsafe(ref r0); c01.StoreUnsafe(ref r0, 16); c02.StoreUnsafe(ref r0, 32); c03.StoreUnsafe(ref r0, 48);
        c10.StoreUnsafe(ref r1); c11.StoreUnsafe(ref r1, 16); c12.StoreUnsafe(ref r1, 32); c13.StoreUnsafe(ref r1, 48);
        c20.StoreUnsafe(ref r2); c21.StoreUnsafe(ref r2, 16); c22.StoreUnsafe(ref r2, 32); c23.StoreUnsafe(ref r2, 48);
        c30.StoreUnsafe(ref r3); c31.StoreUnsafe(ref r3, 16); c32.StoreUnsafe(ref r3, 32); c33.StoreUnsafe(ref r3, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel1x16(ref float c, ref float a, ref float b, int kc, bool zero, ref float init, int ldb)
    {
        Vector256<float> c0, c1;
        if (zero) c0 = c1 = Vector256<float>.Zero;
        else { c0 = Vector256.LoadUnsafe(ref init); c1 = Vector256.LoadUnsafe(ref init, 8); }
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var x = Vector256.Create(Unsafe.Add(ref a, p));
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp, 8), c1);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref c, 8);
    }

    /// <summary>dst (cols,rows) = src (rows,cols)ᵀ.</summary>
    public static void Transpose(View dst, View src, int rows, int cols)
    {
        CheckSize(dst, rows * cols, nameof(dst)); CheckSize(src, rows * cols, nameof(src));
        Transposition.Strided(ref dst.Ref, rows, ref src.Ref, cols, rows, cols);
    }
}
