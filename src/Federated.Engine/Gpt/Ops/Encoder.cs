using System.Numerics.Tensors;

namespace Federated.Engine.Gpt.Ops;

/// <summary>Token plus position embedding.</summary>
public static class Encoder
{
    /// <param name="out">(B,T,C)</param><param name="tokens">(B,T)</param>
    /// <param name="wte">(V,C)</param><param name="wpe">(maxT,C)</param>
    public static void Forward(View @out, ReadOnlySpan<int> tokens, View wte, View wpe, int b, int t, int c)
    {
        for (int i = 0; i < b * t; i++)
            TensorPrimitives.Add(wte.Span(tokens[i] * c, c), wpe.Span(i % t * c, c), @out.Span(i * c, c));
    }

    /// <summary>Accumulates into dwte and dwpe, in token order (rows can repeat, so no parallel scatter).</summary>
    public static void Backward(View dwte, View dwpe, View dout, ReadOnlySpan<int> tokens, int b, int t, int c)
    {
        for (int i = 0; i < b * t; i++)
        {
            var d = dout.Span(i * c, c);
            var rowTe = dwte.Span(tokens[i] * c, c);
            var rowPe = dwpe.Span(i % t * c, c);
            TensorPrimitives.Add(rowTe, d, rowTe);
            TensorPrimitives.Add(rowPe, d, rowPe);
        }
    }
}
