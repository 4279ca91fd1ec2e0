using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Federated.Engine.Gpt.Ops;

/// <summary>
/// A position inside a float buffer. Ops take views rather than spans so parallel work items (lambdas)
/// can capture them; bounds are checked where a span is taken, not in the hot loops.
/// </summary>
public readonly struct View(float[] array, int offset = 0)
{
    public float[] Array { get; } = array;
    public int Offset { get; } = offset;

    public View At(int index) => new(Array, Offset + index);
    public Span<float> Span(int start, int length) => Array.AsSpan(Offset + start, length);
    public ref float this[int index] => ref Array[Offset + index];

    /// <summary>Unchecked reference to element 0, for SIMD loads in kernels whose sizes were checked by the caller.</summary>
    internal ref float Ref => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Array), Offset);

    public static implicit operator View(float[] array) => new(array);
}

internal static class ViewExtensions
{
    public static View AsView(this float[] array, int offset) => new(array, offset);
}
