using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Federated.Engine.ByteMlp;

/// <summary>
/// Float dot product with a summation order fixed in code. TensorPrimitives.Dot picks its vector width
/// (and so its summation order) from the CPU, which would let two workers compute different bits for
/// the same update; Vector128 exists on every .NET platform (in hardware on x64 and Arm64), so this
/// order is the same everywhere.
/// </summary>
public static class FixedOrderDot
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"length {y.Length} does not match {x.Length}", nameof(y));
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        nuint i = 0;
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        for (; (int)i + 16 <= n; i += 16)
        {
            s0 += Vector128.LoadUnsafe(ref rx, i) * Vector128.LoadUnsafe(ref ry, i);
            s1 += Vector128.LoadUnsafe(ref rx, i + 4) * Vector128.LoadUnsafe(ref ry, i + 4);
            s2 += Vector128.LoadUnsafe(ref rx, i + 8) * Vector128.LoadUnsafe(ref ry, i + 8);
            s3 += Vector128.LoadUnsafe(ref rx, i + 12) * Vector128.LoadUnsafe(ref ry, i + 12);
        }
        for (; (int)i + 4 <= n; i += 4)
            s0 += Vector128.LoadUnsafe(ref rx, i) * Vector128.LoadUnsafe(ref ry, i);
        var s = (s0 + s1) + (s2 + s3);
        float sum = (s.GetElement(0) + s.GetElement(1)) + (s.GetElement(2) + s.GetElement(3));
        for (; (int)i < n; i++)
            sum += x[(int)i] * y[(int)i];
        return sum;
    }
}
