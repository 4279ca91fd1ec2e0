using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// c (M,N) (+)= a (M,K) @ b (K,N), all row-major and dense. A 4x32 register tile (16 Vector256
/// accumulators, 4 B loads and 4 broadcasts per k) keeps the FMA units busy; K is cut into blocks so a
/// B panel stays in cache while row tiles stream past it. Rows are split into fixed 64-row items and each
/// element sums its K in the same order, so the result does not depend on the thread count.
/// </summary>
public static class Gemm
{
    private const int MR = 4, NR = 32, KC = 256, MC = 64;

    public static void Multiply(View c, View a, View b, int m, int n, int k, bool accumulate, int threads)
    {
        CheckSize(c, m * n, nameof(c)); CheckSize(a, m * k, nameof(a)); CheckSize(b, k * n, nameof(b));
        Parallelism.ForChunks(m, MC, threads, (r0, r1) => Rows(c, a, b, r0, r1, n, k, accumulate));
    }

    private static void CheckSize(View v, int needed, string name)
    {
        if (v.Offset < 0 || v.Offset + (long)needed > v.Array.Length)
            throw new ArgumentException($"{name}: {needed} elements from offset {v.Offset} exceed buffer of {v.Array.Length}");
    }

    private static void Rows(View c, View a, View b, int r0, int r1, int n, int k, bool accumulate)
    {
        int nFull = n - n % NR;
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            bool first = k0 == 0 && !accumulate;
            for (int j = 0; j < nFull; j += NR)
            {
                int i = r0;
                for (; i + MR <= r1; i += MR)
                    Kernel4x32(ref c.At(i * n + j).Ref, ref a.At(i * k + k0).Ref, ref b.At(k0 * n + j).Ref, k, n, n, kc, first);
                for (; i < r1; i++)
                    Kernel1x32(ref c.At(i * n + j).Ref, ref a.At(i * k + k0).Ref, ref b.At(k0 * n + j).Ref, n, kc, first);
            }
            for (int i = r0; i < r1; i++)
                for (int j = nFull; j < n; j++)
                {
                    float sum = first ? 0f : c[i * n + j];
                    for (int p = 0; p < kc; p++) sum += a[i * k + k0 + p] * b[(k0 + p) * n + j];
                    c[i * n + j] = sum;
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(ref float c, ref float a, ref float b, int lda, int ldb, int ldc, int kc, bool first)
    {
        Vector256<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (first)
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector256<float>.Zero;
        }
        else
        {
            ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
            ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
            c00 = Vector256.LoadUnsafe(ref r0); c01 = Vector256.LoadUnsafe(ref r0, 8); c02 = Vector256.LoadUnsafe(ref r0, 16); c03 = Vector256.LoadUnsafe(ref r0, 24);
            c10 = Vector256.LoadUnsafe(ref r1); c11 = Vector256.LoadUnsafe(ref r1, 8); c12 = Vector256.LoadUnsafe(ref r1, 16); c13 = Vector256.LoadUnsafe(ref r1, 24);
            c20 = Vector256.LoadUnsafe(ref r2); c21 = Vector256.LoadUnsafe(ref r2, 8); c22 = Vector256.LoadUnsafe(ref r2, 16); c23 = Vector256.LoadUnsafe(ref r2, 24);
            c30 = Vector256.LoadUnsafe(ref r3); c31 = Vector256.LoadUnsafe(ref r3, 8); c32 = Vector256.LoadUnsafe(ref r3, 16); c33 = Vector256.LoadUnsafe(ref r3, 24);
        }
        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 8);
            var b2 = Vector256.LoadUnsafe(ref bp, 16); var b3 = Vector256.LoadUnsafe(ref bp, 24);
            var x = Vector256.Create(Unsafe.Add(ref a, p));
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(x, b2, c02); c03 = Vector256.FusedMultiplyAdd(x, b3, c03);
            x = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(x, b2, c12); c13 = Vector256.FusedMultiplyAdd(x, b3, c13);
            x = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector256.FusedMultiplyAdd(x, b2, c22); c23 = Vector256.FusedMultiplyAdd(x, b3, c23);
            x = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector256.FusedMultiplyAdd(x, b2, c32); c33 = Vector256.FusedMultiplyAdd(x, b3, c33);
        }
        {
            ref float r0 = ref c; ref float r1 = ref Unsafe.Add(ref c, ldc);
            ref float r2 = ref Unsafe.Add(ref c, 2 * ldc); ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
            c00.StoreUnsafe(ref r0); c01.StoreUnsafe(ref r0, 8); c02.StoreUnsafe(ref r0, 16); c03.StoreUnsafe(ref r0, 24);
            c10.StoreUnsafe(ref r1); c11.StoreUnsafe(ref r1, 8); c12.StoreUnsafe(ref r1, 16); c13.StoreUnsafe(ref r1, 24);
            c20.StoreUnsafe(ref r2); c21.StoreUnsafe(ref r2, 8); c22.StoreUnsafe(ref r2, 16); c23.StoreUnsafe(ref r2, 24);
            c30.StoreUnsafe(ref r3); c31.StoreUnsafe(ref r3, 8); c32.StoreUnsafe(ref r3, 16); c33.StoreUnsafe(ref r3, 24);
        }
    }

    private static void Kernel1x32(ref float c, ref float a, ref float b, int ldb, int kc, bool first)
    {
        Vector256<float> c0, c1, c2, c3;
        if (first) c0 = c1 = c2 = c3 = Vector256<float>.Zero;
        else { c0 = Vector256.LoadUnsafe(ref c); c1 = Vector256.LoadUnsafe(ref c, 8); c2 = Vector256.LoadUnsafe(ref c, 16); c3 = Vector256.LoadUnsafe(ref c, 24); }
        for (int p = 0; p < kc; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * ldb);
            var x = Vector256.Create(Unsafe.Add(ref a, p));
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
        const int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile)
            for (int j0 = 0; j0 < cols; j0 += tile)
            {
                int i1 = Math.Min(rows, i0 + tile), j1 = Math.Min(cols, j0 + tile);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        dst[j * rows + i] = src[i * cols + j];
            }
    }
}
