namespace Federated.Engine.Gpt.Ops;

/// <summary>Linear layer in nn.Linear layout: out = inp @ weightᵀ + bias, weight (OC,C).</summary>
public static class MatMul
{
    /// <param name="out">(BT,OC)</param><param name="inp">(BT,C)</param>
    /// <param name="weight">(OC,C)</param><param name="bias">(OC) or null</param>
    public static void Forward(View @out, View inp, View weight, View? bias, int bt, int c, int oc, int threads)
    {
        // the bias is where each output's sum starts (the same FMA chain as copying it in and accumulating)
        Gemm.MultiplyTransposedB(@out, inp, weight, bt, oc, c, accumulate: false, threads, bias);
    }

    /// <summary>Overwrites dinp; accumulates into dweight and dbias.</summary>
    /// <param name="dinp">(BT,C)</param><param name="dweight">(OC,C)</param><param name="dbias">(OC) or null</param>
    /// <param name="dout">(BT,OC)</param><param name="inp">(BT,C)</param><param name="weight">(OC,C)</param>
    public static void Backward(View dinp, View dweight, View? dbias, View dout, View inp, View weight,
        int bt, int c, int oc, int threads)
    {
        Gemm.Multiply(dinp, dout, weight, bt, c, oc, accumulate: false, threads);      // (BT,OC) @ (OC,C)
        // doutᵀ (OC,BT) @ inp (BT,C), reading dout in place as a transposed operand
        Gemm.Multiply(dweight, dout, inp, oc, c, bt, accumulate: true, transposedA: true, threads);
        if (dbias is { } db)
        {
            // summed row by row in a fixed order: deterministic for any thread count
            var acc = db.Span(0, oc);
            for (int r = 0; r < bt; r++)
                System.Numerics.Tensors.TensorPrimitives.Add(acc, dout.Span(r * oc, oc), acc);
        }
    }
}
