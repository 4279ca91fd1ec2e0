using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Federated.Engine.Numerics;

/// <summary>
/// Reductions and transcendentals whose results do not depend on the machine. TensorPrimitives picks its
/// vector width (and so its summation order) from the CPU, and MathF.Exp/Log come from the platform's C
/// library; a run verifier that replays Initialize and Evaluate elsewhere needs the same bits. Everything
/// here is 256-bit lanes in a fixed order plus IEEE basic operations (and Vector256.Exp, which .NET
/// implements in managed code).
/// </summary>
public static class FixedOrder
{
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= x.Length; i += 8) acc += Vector256.LoadUnsafe(ref r, (nuint)i);
        float sum = Horizontal(acc);
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"length {y.Length} does not match {x.Length}", nameof(y));
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= x.Length; i += 8)
            acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), acc);
        float sum = Horizontal(acc);
        for (; i < x.Length; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }

    /// <summary>Σ x², accumulated in double in one pass in index order (each square is exact in double). For the
    /// global gradient norm, where a float sum over millions of values would lose the small ones.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x) sum += (double)v * v;
        return sum;
    }

    /// <summary>y = exp(x), element by element; the tail goes through the same vector code, padded.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination too short", nameof(y));
        int i = 0;
        for (; i + 8 <= x.Length; i += 8) Vector256.Exp(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        if (i < x.Length)
        {
            Span<float> pad = stackalloc float[8];
            pad.Clear();
            x[i..].CopyTo(pad);
            Vector256.Exp(Vector256.Create((ReadOnlySpan<float>)pad)).CopyTo(pad);
            pad[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    /// <summary>y = softmax(x); returns the normaliser Σ exp(x - max) for log-sum-exp users.</summary>
    public static float SoftMax(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(x);            // exact in any order
        System.Numerics.Tensors.TensorPrimitives.Subtract(x, max, y[..x.Length]); // element-wise, exact
        Exp(y[..x.Length], y);
        float sum = Sum(y[..x.Length]);
        System.Numerics.Tensors.TensorPrimitives.Divide(y[..x.Length], sum, y[..x.Length]);
        return sum;
    }

    /// <summary>Natural log from IEEE basic operations: x = m·2^e with m in [1,2), log m = 2·atanh((m-1)/(m+1)).</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x)) return x == 0 ? double.NegativeInfinity : x > 0 ? x : double.NaN;
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF);
        if (e == 0) return Log(x * 18014398509481984.0) - 54 * Ln2;                      // subnormal: scale into range
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        e -= 1023;
        if (m > Math.Sqrt(2)) { m /= 2; e++; }                                 // m in (0.707, 1.414]: |z| < 0.172
        double z = (m - 1) / (m + 1), z2 = z * z, term = z, series = 0;
        for (int k = 1; k < 40; k += 2)
        {
            series += term / k;
            term *= z2;
        }
        return 2 * series + e * Ln2;
    }

    private const double Ln2 = 0.6931471805599453;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Horizontal(Vector256<float> v) =>
        ((v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3))) +
        ((v.GetElement(4) + v.GetElement(5)) + (v.GetElement(6) + v.GetElement(7)));
}
