using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// dst (cols,rows) = src (rows,cols)ᵀ over strided blocks, in 32x32 tiles so both sides stay in cache, each
/// full 8x8 block moved through eight AVX registers (three shuffle stages) instead of 64 scalar stores.
/// A copy: exact on every path.
/// </summary>
internal static class Transposition
{
    private const int Tile = 32;

    /// <param name="lds">row stride of src</param><param name="ldd">row stride of dst</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Strided(ref float dst, int ldd, ref float src, int lds, int rows, int cols)
    {
        for (int i0 = 0; i0 < rows; i0 += Tile)
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int i1 = Math.Min(rows, i0 + Tile), j1 = Math.Min(cols, j0 + Tile);
                int i8 = Avx.IsSupported ? i0 + (i1 - i0) / 8 * 8 : i0, j8 = Avx.IsSupported ? j0 + (j1 - j0) / 8 * 8 : j0;
                for (int i = i0; i < i8; i += 8)
                    for (int j = j0; j < j8; j += 8)
                        Block8(ref Unsafe.Add(ref dst, j * ldd + i), ldd, ref Unsafe.Add(ref src, i * lds + j), lds);
                // what the 8x8 blocks left: the right columns of the full row blocks, then the bottom rows
                Scalar(ref dst, ldd, ref src, lds, i0, i8, j8, j1);
                Scalar(ref dst, ldd, ref src, lds, i8, i1, j0, j1);
            }
    }

    private static void Scalar(ref float dst, int ldd, ref float src, int lds, int i0, int i1, int j0, int j1)
    {
        for (int i = i0; i < i1; i++)
        {
            ref float s = ref Unsafe.Add(ref src, i * lds);
            for (int j = j0; j < j1; j++) Unsafe.Add(ref dst, j * ldd + i) = Unsafe.Add(ref s, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float dst, int ldd, ref float src, int lds)
    {
        var r0 = Vector256.LoadUnsafe(ref src); var r1 = Vector256.LoadUnsafe(ref src, (nuint)lds);
        var r2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * lds)); var r3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * lds));
        var r4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * lds)); var r5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * lds));
        var r6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * lds)); var r7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * lds));
        // pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped across
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref dst);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref dst, (nuint)ldd);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * ldd));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * ldd));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * ldd));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * ldd));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * ldd));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * ldd));
    }
}
