using System.Numerics.Tensors;

namespace Federated.Engine.ByteMlp;

/// <summary>
/// Forward and backward of each layer, arguments in llm.c's order: outputs, inputs, weights, sizes.
/// Backward functions accumulate (+=) into every gradient they write, so a caller zeroes gradients once
/// per step. Sizes: B batch rows, C context tokens, E embedding width, IC/OC a linear layer's in/out
/// widths, V vocabulary.
/// </summary>
public static class ByteMlpLayers
{
    /// <param name="x">(B, C*E) out: row b is the embeddings of contexts[b, 0..C) side by side.</param>
    /// <param name="contexts">(B, C) token ids, already checked to be in [0, V).</param>
    /// <param name="wte">(V, E) embedding table.</param>
    public static void EmbeddingForward(Span<float> x, ReadOnlySpan<int> contexts, ReadOnlySpan<float> wte, int batch, int context, int embed)
    {
        for (var i = 0; i < batch * context; i++)
            wte.Slice(contexts[i] * embed, embed).CopyTo(x.Slice(i * embed, embed));
    }

    /// <param name="dwte">(V, E) accumulated: each context position adds its slice of dx to its token's row.</param>
    /// <param name="dx">(B, C*E)</param>
    /// <param name="contexts">(B, C)</param>
    public static void EmbeddingBackward(Span<float> dwte, ReadOnlySpan<float> dx, ReadOnlySpan<int> contexts, int batch, int context, int embed)
    {
        for (var i = 0; i < batch * context; i++)
        {
            var row = dwte.Slice(contexts[i] * embed, embed);
            TensorPrimitives.Add(row, dx.Slice(i * embed, embed), row);
        }
    }

    /// <param name="output">(B, OC) out = input · weightᵀ + bias.</param>
    /// <param name="input">(B, IC)</param>
    /// <param name="weight">(OC, IC)</param>
    /// <param name="bias">(OC)</param>
    public static void LinearForward(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int batch, int inDim, int outDim)
    {
        for (var b = 0; b < batch; b++)
        {
            var x = input.Slice(b * inDim, inDim);
            var y = output.Slice(b * outDim, outDim);
            for (var o = 0; o < outDim; o++)
                y[o] = bias[o] + FixedOrderDot.Dot(weight.Slice(o * inDim, inDim), x);
        }
    }

    /// <param name="dinput">(B, IC) accumulated.</param>
    /// <param name="dweight">(OC, IC) accumulated.</param>
    /// <param name="dbias">(OC) accumulated.</param>
    /// <param name="doutput">(B, OC)</param>
    /// <param name="input">(B, IC) the forward input.</param>
    /// <param name="weight">(OC, IC)</param>
    public static void LinearBackward(Span<float> dinput, Span<float> dweight, Span<float> dbias,
        ReadOnlySpan<float> doutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int batch, int inDim, int outDim)
    {
        for (var b = 0; b < batch; b++)
        {
            var x = input.Slice(b * inDim, inDim);
            var dx = dinput.Slice(b * inDim, inDim);
            var dy = doutput.Slice(b * outDim, outDim);
            for (var o = 0; o < outDim; o++)
            {
                float g = dy[o];
                dbias[o] += g;
                // MultiplyAdd rounds product and sum separately on every CPU (it is not fused), so this
                // stays bit-identical across machines.
                TensorPrimitives.MultiplyAdd(weight.Slice(o * inDim, inDim), g, dx, dx);
                var dw = dweight.Slice(o * inDim, inDim);
                TensorPrimitives.MultiplyAdd(x, g, dw, dw);
            }
        }
    }

    /// <param name="output">(N) tanh(input).</param>
    /// <param name="input">(N)</param>
    public static void TanhForward(Span<float> output, ReadOnlySpan<float> input, int count)
    {
        for (var i = 0; i < count; i++)
            output[i] = PortableMath.Tanh(input[i]);
    }

    /// <param name="dinput">(N) accumulated: doutput * (1 - tanh²), using the cached forward output.</param>
    /// <param name="doutput">(N)</param>
    /// <param name="output">(N) the forward output.</param>
    public static void TanhBackward(Span<float> dinput, ReadOnlySpan<float> doutput, ReadOnlySpan<float> output, int count)
    {
        for (var i = 0; i < count; i++)
        {
            float y = output[i];
            dinput[i] += doutput[i] * (1f - y * y);
        }
    }

    /// <param name="probs">(B, V) out: softmax of each row of logits, kept for backward.</param>
    /// <param name="losses">(B) out: -log probs[b, targets[b]], computed from the logits in double so a tiny
    /// probability cannot round to zero and give an infinite loss.</param>
    /// <param name="logits">(B, V)</param>
    /// <param name="targets">(B)</param>
    public static void SoftmaxCrossEntropyForward(Span<float> probs, Span<float> losses, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets,
        int batch, int vocab)
    {
        Span<double> exps = vocab <= 1024 ? stackalloc double[vocab] : new double[vocab];
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * vocab, vocab);
            var p = probs.Slice(b * vocab, vocab);
            float max = TensorPrimitives.Max(z); // exact whatever the order: no rounding in a max
            double sum = 0;
            for (var v = 0; v < vocab; v++)
            {
                exps[v] = PortableMath.Exp((double)z[v] - max);
                sum += exps[v];
            }
            for (var v = 0; v < vocab; v++)
                p[v] = (float)(exps[v] / sum);
            losses[b] = (float)(PortableMath.Log(sum) - ((double)z[targets[b]] - max));
        }
    }

    /// <param name="dlogits">(B, V) accumulated: (probs - onehot(target)) * dloss.</param>
    /// <param name="probs">(B, V) from the forward pass.</param>
    /// <param name="targets">(B)</param>
    /// <param name="dloss">Gradient of the objective with respect to each row's loss (1/B for the batch mean).</param>
    public static void SoftmaxCrossEntropyBackward(Span<float> dlogits, ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, float dloss,
        int batch, int vocab)
    {
        for (var b = 0; b < batch; b++)
        {
            var p = probs.Slice(b * vocab, vocab);
            var d = dlogits.Slice(b * vocab, vocab);
            int t = targets[b];
            for (var v = 0; v < vocab; v++)
                d[v] += ((v == t ? p[v] - 1f : p[v]) * dloss);
        }
    }
}
