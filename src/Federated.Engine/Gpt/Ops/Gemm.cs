using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// c (M,N) (+)= a (M,K) @ b (K,N), all row-major and dense, or with a stored transposed as (K,M) so the
/// weight gradient doutᵀ @ inp needs no transposed copy of dout. A 4x16 register tile (8 Vector256
/// accumulators, 2 B loads and 4 broadcasts per k, within AVX2's 16 registers) keeps the FMA units busy; K is
/// cut into blocks so a B panel stays in cache while row tiles stream past it. Where 512-bit vectors are native
/// (32 registers) the tile is 4x64.
/// Every path computes each element as the same chain of fused multiply-adds over k in order, so the
/// vector width changes speed, not bits. Rows are split into fixed 64-row items, so the result does not
/// depend on the thread count either.
/// </summary>
public static class Gemm
{
    private const int MR = 4, NR = 32, KC = 256, MC = 64;

    public static void Multiply(View c, View a, View b, int m, int n, int k, bool accumulate, int threads) =>
        Multiply(c, a, b, m, n, k, accumulate, transposedA: false, threads);

    /// <param name="transposedA">a is stored (K,M): element (i,p) at a[p*M + i].</param>
    public static void Multiply(View c, View a, View b, int m, int n, int k, bool accumulate, bool transposedA, int threads) =>
        Multiply(c, n, a, transposedA ? m : k, transposedA, b, n, m, n, k, accumulate, threads);

    /// <summary>The general form over sub-matrices: ldc, lda, ldb are row strides of the stored matrices
    /// (a stored (K,M) when <paramref name="transposedA"/>), so a block of a larger matrix needs no copy.</summary>
    public static void Multiply(View c, int ldc, View a, int lda, bool transposedA, View b, int ldb, int m, int n, int k, bool accumulate, int threads)
    {
        if (m == 0 || n == 0) return;
        CheckSize(c, (m - 1) * ldc + n, nameof(c));
        if (k == 0)
        {
            // an empty sum: c keeps its values, or becomes zero
            if (!accumulate) for (int i = 0; i < m; i++) c.Span(i * ldc, n).Clear();
            return;
        }
        CheckSize(a, transposedA ? (k - 1) * lda + m : (m - 1) * lda + k, nameof(a));
        CheckSize(b, (k - 1) * ldb + n, nameof(b));
        int rowStride = transposedA ? 1 : lda, colStride = transposedA ? lda : 1;
        Parallelism.ForChunks(m, MC, threads, (r0, r1) => Rows(c, a, b, r0, r1, n, k, rowStride, colStride, ldb, ldc, accumulate));
    }

    private static void CheckSize(View v, int needed, string name)
    {
        if (v.Offset < 0 || needed < 0 || v.Offset + (long)needed > v.Array.Length)
            throw new ArgumentException($"{name}: {needed} elements from offset {v.Offset} exceed buffer of {v.Array.Length}");
    }

    // element (i,p) of a is at a[i*rs + p*cs]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(View c, View a, View b, int r0, int r1, int n, int k, int rs, int cs, int ldb, int ldc, bool accumulate)
    {
        if (rs == 1 && cs > 1)
        {
            // a transposed: this item's block of a is KC rows far apart in memory (one TLB page each), so it
            // is copied to a contiguous (KC, rows) panel first; the arithmetic is unchanged
            var panel = System.Buffers.ArrayPool<float>.Shared.Rent(KC * (r1 - r0));
            try { RowsPacked(c, a, b, r0, r1, n, k, cs, ldb, ldc, accumulate, panel); }
            finally { System.Buffers.ArrayPool<float>.Shared.Return(panel); }
            return;
        }
        for (int k0 = 0; k0 < k; k0 += KC)
            Block(c, a.At(k0 * cs), b.At(k0 * ldb), r0, r1, n, Math.Min(KC, k - k0), rs, cs, ldb, ldc, k0 == 0 && !accumulate);
    }

    private static void RowsPacked(View c, View a, View b, int r0, int r1, int n, int k, int cs, int ldb, int ldc, bool accumulate, float[] panel)
    {
        int rows = r1 - r0;
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            for (int p = 0; p < kc; p++) a.Span((k0 + p) * cs + r0, rows).CopyTo(panel.AsSpan(p * rows, rows));
            // the panel holds element (i, k0 + p) at p*rows + (i - r0)
            Block(c, new View(panel, -r0), b.At(k0 * ldb), r0, r1, n, kc, 1, rows, ldb, ldc, k0 == 0 && !accumulate);
        }
    }

    // one K block for rows [r0, r1): a's element (i, p) at a[i*rs + p*cs], b's (p, j) at b[p*ldb + j], p < kc
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(View c, View a, View b, int r0, int r1, int n, int kc, int rs, int cs, int ldb, int ldc, bool first)
    {
        int nFull = n - n % NR;
        int j0 = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j0 + 2 * NR <= n; j0 += 2 * NR)
            {
                int i = r0;
                for (; i + MR <= r1; i += MR)
                    Kernel4x64(ref c.At(i * ldc + j0).Ref, ref a.At(i * rs).Ref, ref b.At(j0).Ref, rs, cs, ldb, ldc, kc, first);
                for (; i < r1; i++)   // rows past the last full tile: two 32-wide kernels do the same per-element FMAs
                {
                    Kernel1x32(ref c.At(i * ldc + j0).Ref, ref a.At(i * rs).Ref, ref b.At(j0).Ref, cs, ldb, kc, first);
                    Kernel1x32(ref c.At(i * ldc + j0 + NR).Ref, ref a.At(i * rs).Ref, ref b.At(j0 + NR).Ref, cs, ldb, kc, first);
                }
            }
        for (int j = j0; j < nFull; j += NR)
        {
            int i = r0;
            for (; i + MR <= r1; i += MR)
            {
                // Two 4x16 tiles, not one 4x32: 16 accumulators + 4 B vectors + a broadcast need 21 of AVX2's 16 vector
                // registers, and the spills halved the speed (measured on an AVX2-only host: see docs/engine.md).
                Kernel4x16(ref c.At(i * ldc + j).Ref, ref a.At(i * rs).Ref, ref b.At(j).Ref, rs, cs, ldb, ldc, kc, first);
                Kernel4x16(ref c.At(i * ldc + j + NR / 2).Ref, ref a.At(i * rs).Ref, ref b.At(j + NR / 2).Ref, rs, cs, ldb, ldc, kc, first);
            }
            for (; i < r1; i++)
                Kernel1x32(ref c.At(i * ldc + j).Ref, ref a.At(i * rs).Ref, ref b.At(j).Ref, cs, ldb, kc, first);
        }
        for (int i = r0; i < r1; i++)
            for (int j = nFull; j < n; j++)
            {
                float sum = first ? 0f : c[i * ldc + j];
                for (int p = 0; p < kc; p++) sum = MathF.FusedMultiplyAdd(a[i * rs + p * cs], b[p * ldb + j], sum);
                c[i * ldc + j] = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x16(ref float c, ref float a, ref float b, int rs, int cs, int ldb, int ldc, int kc, bool first)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
        ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
        if (first)
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        }
        else
        {
            c00 = Vector256.LoadUnsafe(ref r0); c01 = Vector256.LoadUnsafe(ref r0, 8);
            c10 = Vector256.LoadUnsafe(ref r1); c11 = Vector256.LoadUnsafe(ref r1, 8);
            c20 = Vector256.LoadUnsafe(ref r2); c21 = Vector256.LoadUnsafe(ref r2, 8);
            c30 = Vector256.LoadUnsafe(ref r3); c31 = Vector256.LoadUnsafe(ref r3, 8);
        }
        ref float a1 = ref Unsafe.Add(ref a, rs);
        ref float a2 = ref Unsafe.Add(ref a, 2 * rs);
        ref float a3 = ref Unsafe.Add(ref a, 3 * rs);
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            int ap = p * cs;
            var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 8);
            var x = Vector256.Create(Unsafe.Add(ref a, ap));
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, ap));
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, ap));
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, ap));
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        c00.StoreUnsafe(ref r0); c01.StoreUnsafe(ref r0, 8);
        c10.StoreUnsafe(ref r1); c11.StoreUnsafe(ref r1, 8);
        c20.StoreUnsafe(ref r2); c21.StoreUnsafe(ref r2, 8);
        c30.StoreUnsafe(ref r3); c31.StoreUnsafe(ref r3, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x64(ref float c, ref float a, ref float b, int rs, int cs, int ldb, int ldc, int kc, bool first)
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
        ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
        if (first)
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector512<float>.Zero;
        }
        else
        {
            c00 = Vector512.LoadUnsafe(ref r0); c01 = Vector512.LoadUnsafe(ref r0, 16); c02 = Vector512.LoadUnsafe(ref r0, 32); c03 = Vector512.LoadUnsafe(ref r0, 48);
            c10 = Vector512.LoadUnsafe(ref r1); c11 = Vector512.LoadUnsafe(ref r1, 16); c12 = Vector512.LoadUnsafe(ref r1, 32); c13 = Vector512.LoadUnsafe(ref r1, 48);
            c20 = Vector512.LoadUnsafe(ref r2); c21 = Vector512.LoadUnsafe(ref r2, 16); c22 = Vector512.LoadUnsafe(ref r2, 32); c23 = Vector512.LoadUnsafe(ref r2, 48);
            c30 = Vector512.LoadUnsafe(ref r3); c31 = Vector512.LoadUnsafe(ref r3, 16); c32 = Vector512.LoadUnsafe(ref r3, 32); c33 = Vector512.LoadUnsafe(ref r3, 48);
        }
        ref float a1 = ref Unsafe.Add(ref a, rs);
        ref float a2 = ref Unsafe.Add(ref a, 2 * rs);
        ref float a3 = ref Unsafe.Add(ref a, 3 * rs);
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            int ap = p * cs;
            var b0 = Vector512.LoadUnsafe(ref bp); var b1 = Vector512.LoadUnsafe(ref bp, 16);
            var b2 = Vector512.LoadUnsafe(ref bp, 32); var b3 = Vector512.LoadUnsafe(ref bp, 48);
            var x = Vector512.Create(Unsafe.Add(ref a, ap));
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, ap));
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a2, ap));
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a3, ap));
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
        }
        c00.StoreUnsafe(ref r0); c01.StoreUnsafe(ref r0, 16); c02.StoreUnsafe(ref r0, 32); c03.StoreUnsafe(ref r0, 48);
        c10.StoreUnsafe(ref r1); c11.StoreUnsafe(ref r1, 16); c12.StoreUnsafe(ref r1, 32); c13.StoreUnsafe(ref r1, 48);
        c20.StoreUnsafe(ref r2); c21.StoreUnsafe(ref r2, 16); c22.StoreUnsafe(ref r2, 32); c23.StoreUnsafe(ref r2, 48);
        c30.StoreUnsafe(ref r3); c31.StoreUnsafe(ref r3, 16); c32.StoreUnsafe(ref r3, 32); c33.StoreUnsafe(ref r3, 48);
    }

    private static void Kernel1x32(ref float c, ref float a, ref float b, int cs, int ldb, int kc, bool first)
    {
        Vector256<float> c0, c1, c2, c3;
        if (first) c0 = c1 = c2 = c3 = Vector256<float>.Zero;
        else { c0 = Vector256.LoadUnsafe(ref c); c1 = Vector256.LoadUnsafe(ref c, 8); c2 = Vector256.LoadUnsafe(ref c, 16); c3 = Vector256.LoadUnsafe(ref c, 24); }
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var x = Vector256.Create(Unsafe.Add(ref a, p * cs));
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp, 8), c1);
            c2 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp, 16), c2);
            c3 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bp, 24), c3);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref c, 8); c2.StoreUnsafe(ref c, 16); c3.StoreUnsafe(ref c, 24);
    }

    /// <summary>dst (cols,rows) = src (rows,cols)ᵀ, in 32x32 tiles so both sides stay in cache.</summary>
    public static void Transpose(View dst, View src, int rows, int cols)
    {
        CheckSize(dst, rows * cols, nameof(dst)); CheckSize(src, rows * cols, nameof(src));
        TransposeTiles(ref dst.Ref, ref src.Ref, rows, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeTiles(ref float dst, ref float src, int rows, int cols)
    {
        const int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile)
            for (int j0 = 0; j0 < cols; j0 += tile)
            {
                int i1 = Math.Min(rows, i0 + tile), j1 = Math.Min(cols, j0 + tile);
                for (int i = i0; i < i1; i++)
                {
                    ref float s = ref Unsafe.Add(ref src, i * cols);
                    for (int j = j0; j < j1; j++)
                        Unsafe.Add(ref dst, j * rows + i) = Unsafe.Add(ref s, j);
                }
            }
    }
}
