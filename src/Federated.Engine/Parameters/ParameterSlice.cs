namespace Federated.Engine.Parameters;

/// <summary>
/// A named view into a flat parameter vector. Gradients and optimizer moments share the layout of the
/// weights, so the same slice names the same tensor in all of them.
/// </summary>
/// <param name="Name">Tensor name, e.g. "w1".</param>
/// <param name="Offset">First element in the flat vector.</param>
/// <param name="Length">Number of elements.</param>
/// <param name="IsMatrix">True for weight matrices and embedding tables: weight decay applies to these only.</param>
public readonly record struct ParameterSlice(string Name, int Offset, int Length, bool IsMatrix)
{
    public int End => Offset + Length;

    public Span<float> Of(Span<float> flat) => flat.Slice(Offset, Length);

    // Without this overload an array argument binds to the read-only view.
    public Span<float> Of(float[] flat) => flat.AsSpan(Offset, Length);

    public ReadOnlySpan<float> Of(ReadOnlySpan<float> flat) => flat.Slice(Offset, Length);
}
