using System.Numerics.Tensors;

namespace Federated.Engine.Gpt.Ops;

/// <summary>out = a + b. Its backward is the identity into both inputs, so the model passes one gradient
/// buffer through a block and adds the branch gradients into it (see GptModel.Backward).</summary>
public static class Residual
{
    /// <param name="out">(N)</param><param name="a">(N)</param><param name="b">(N)</param>
    public static void Forward(View @out, View a, View b, int n) =>
        TensorPrimitives.Add(a.Span(0, n), b.Span(0, n), @out.Span(0, n));

    /// <summary>Accumulates dout into both da and db.</summary>
    public static void Backward(View da, View db, View dout, int n)
    {
        var d = dout.Span(0, n);
        TensorPrimitives.Add(da.Span(0, n), d, da.Span(0, n));
        TensorPrimitives.Add(db.Span(0, n), d, db.Span(0, n));
    }
}
