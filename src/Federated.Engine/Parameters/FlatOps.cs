using System.Numerics.Tensors;

namespace Federated.Engine.Parameters;

/// <summary>
/// Whole-vector helpers for flat parameter vectors (weights, updates, averages). Element-wise operations
/// round each element once, so their results do not depend on the vector width of the machine; the
/// reductions accumulate in double in a fixed order for the same reason.
/// </summary>
public static class FlatOps
{
    /// <summary>Index of the first NaN or infinity, or -1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    /// <summary>True when no value is NaN or infinite; <see cref="IndexOfNonFinite"/> says where the first bad one is.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values) => IndexOfNonFinite(values) < 0;

    /// <summary>Euclidean norm, accumulated in double.</summary>
    public static double L2Norm(ReadOnlySpan<float> values) => Math.Sqrt(SumOfSquares(values));

    /// <summary>Sum of squares in double with four interleaved partial sums, combined in a fixed order.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            double a = values[i], b = values[i + 1], c = values[i + 2], d = values[i + 3];
            s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
        }
        for (; i < values.Length; i++) s0 += (double)values[i] * values[i];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Dot product accumulated in double (for cosine similarity between updates).</summary>
    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireSameLength(x.Length, y.Length, nameof(y));
        double s0 = 0, s1 = 0;
        var i = 0;
        for (; i + 2 <= x.Length; i += 2)
        {
            s0 += (double)x[i] * y[i];
            s1 += (double)x[i + 1] * y[i + 1];
        }
        for (; i < x.Length; i++) s0 += (double)x[i] * y[i];
        return s0 + s1;
    }

    /// <summary><c>destination[i] += scale * source[i]</c>: the FedAvg accumulation step.</summary>
    public static void Add(Span<float> destination, ReadOnlySpan<float> source, float scale = 1f)
    {
        RequireSameLength(destination.Length, source.Length, nameof(source));
        // MultiplyAdd rounds the product and the sum separately (it is not a fused multiply-add).
        TensorPrimitives.MultiplyAdd(source, scale, destination, destination);
    }

    /// <summary><c>destination[i] = minuend[i] - subtrahend[i]</c>: an update from trained and starting weights.</summary>
    public static void Subtract(Span<float> destination, ReadOnlySpan<float> minuend, ReadOnlySpan<float> subtrahend)
    {
        RequireSameLength(minuend.Length, subtrahend.Length, nameof(subtrahend));
        RequireSameLength(minuend.Length, destination.Length, nameof(destination));
        TensorPrimitives.Subtract(minuend, subtrahend, destination);
    }

    /// <summary><c>values[i] *= scale</c>.</summary>
    public static void Scale(Span<float> values, float scale) => TensorPrimitives.Multiply(values, scale, values);

    private static void RequireSameLength(int expected, int actual, string name)
    {
        if (expected != actual)
            throw new ArgumentException($"length {actual} does not match the other vector's length {expected}", name);
    }
}
