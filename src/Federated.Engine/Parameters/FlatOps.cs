using System.Numerics.Tensors;

namespace Federated.Engine.Parameters;

/// <summary>
/// Whole-vector helpers for flat parameter vectors (weights, updates, averages). Element-wise operations
/// round each element once, so their results do not depend on the vector width of the machine. Reductions
/// live in one place, <see cref="Numerics.FixedOrder"/>; the norms and cosines of aggregation are the domain's
/// (Federated.Domain.Aggregation), which works on the same vectors without the engine.
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
