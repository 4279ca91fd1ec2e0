using System.Numerics.Tensors;
using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt.Ops;

/// <summary>Softmax over the vocabulary fused with next-token cross-entropy.</summary>
public static class SoftmaxCrossEntropy
{
    private const int RowsPerItem = 16;

    /// <param name="probs">(BT,V)</param><param name="losses">(BT) per-position -log p(target)</param>
    /// <param name="logits">(BT,V)</param><param name="targets">(BT)</param>
    public static void Forward(View probs, View losses, View logits, ReadOnlySpan<int> targets, int bt, int v, int threads)
    {
        var tg = targets.ToArray();
        Parallelism.ForChunks(bt, RowsPerItem, threads, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var p = probs.Span(r * v, v);
                var l = logits.Span(r * v, v);
                // log-sum-exp form keeps the loss finite even when the target's probability underflows
                float shiftedTarget = l[tg[r]] - TensorPrimitives.Max(l);
                float sum = FixedOrder.SoftMax(l, p);
                losses[r] = (float)(FixedOrder.Log(sum) - shiftedTarget);
            }
        });
    }

    /// <summary>Overwrites dlogits = (probs - onehot(target)) * dloss; dloss is 1/(B·T) for a mean loss.</summary>
    /// <param name="dlogits">(BT,V)</param><param name="probs">(BT,V)</param><param name="targets">(BT)</param>
    public static void Backward(View dlogits, View probs, ReadOnlySpan<int> targets, float dloss, int bt, int v, int threads)
    {
        var tg = targets.ToArray();
        Parallelism.ForChunks(bt, RowsPerItem, threads, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var d = dlogits.Span(r * v, v);
                TensorPrimitives.Multiply(probs.Span(r * v, v), dloss, d);
                d[tg[r]] -= dloss;
            }
        });
    }
}
