using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>Short dot/axpy loops over head-sized vectors (hs = 32..128), where a library call's fixed
/// cost would rival the arithmetic.</summary>
internal static class SimdLoops
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float y, int n)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= n; i += 8)
            acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), acc);
        float sum = Vector256.Sum(acc);
        for (; i < n; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    /// <summary>y += alpha * x</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(ref float y, float alpha, ref float x, int n)
    {
        int i = 0;
        var a = Vector256.Create(alpha);
        for (; i + 8 <= n; i += 8)
            Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref y, i) += alpha * Unsafe.Add(ref x, i);
    }
}
