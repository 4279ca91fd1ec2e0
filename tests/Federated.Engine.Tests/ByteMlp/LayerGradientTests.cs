using Federated.Engine.ByteMlp;
using static Federated.Engine.Tests.ByteMlp.DoubleReference;

namespace Federated.Engine.Tests.ByteMlp;

/// <summary>
/// Each layer's backward against central differences of an independent double-precision forward.
/// Objective for layers with vector outputs: J = sum(R ⊙ output) with random R, so backward runs with
/// doutput = R. Tolerances cover the float rounding of the analytic gradient (a few float ulps of sums of
/// up to ~20 products); the numeric side is accurate to ~1e-10.
/// </summary>
public sealed class LayerGradientTests
{
    private const double Abs = 1e-5;
    private const double Rel = 1e-4;

    [Fact]
    public void Linear_backward_matches_finite_differences()
    {
        const int batch = 3, inDim = 21, outDim = 5; // 21 = one 16-wide block, one 4-wide block, one tail element
        var rng = new Xoshiro256(1);
        var input = RandomFloats(rng, batch * inDim, 1f);
        var weight = RandomFloats(rng, outDim * inDim, 0.5f);
        var bias = RandomFloats(rng, outDim, 0.5f);
        var r = RandomFloats(rng, batch * outDim, 1f);
        var dinput = new float[input.Length];
        var dweight = new float[weight.Length];
        var dbias = new float[bias.Length];

        ByteMlpLayers.LinearBackward(dinput, dweight, dbias, r, input, weight, batch, inDim, outDim);

        double[] x = ToDouble(input), w = ToDouble(weight), b = ToDouble(bias), rd = ToDouble(r);
        double J(double[] xi, double[] wi, double[] bi) => Linear(xi, wi, bi, batch, inDim, outDim).Zip(rd, (o, k) => o * k).Sum();
        AssertClose(dinput, NumericGradient(v => J(v, w, b), x), Abs, Rel, "dinput");
        AssertClose(dweight, NumericGradient(v => J(x, v, b), w), Abs, Rel, "dweight");
        AssertClose(dbias, NumericGradient(v => J(x, w, v), b), Abs, Rel, "dbias");
    }

    [Fact]
    public void Linear_forward_matches_double_reference()
    {
        const int batch = 2, inDim = 37, outDim = 4;
        var rng = new Xoshiro256(2);
        var input = RandomFloats(rng, batch * inDim, 1f);
        var weight = RandomFloats(rng, outDim * inDim, 0.5f);
        var bias = RandomFloats(rng, outDim, 0.5f);
        var output = new float[batch * outDim];

        ByteMlpLayers.LinearForward(output, input, weight, bias, batch, inDim, outDim);

        AssertClose(output, Linear(ToDouble(input), ToDouble(weight), ToDouble(bias), batch, inDim, outDim), 1e-5, 1e-5, "output");
    }

    [Fact]
    public void Backward_accumulates_into_existing_gradients()
    {
        const int batch = 2, inDim = 3, outDim = 2;
        var rng = new Xoshiro256(3);
        var input = RandomFloats(rng, batch * inDim, 1f);
        var weight = RandomFloats(rng, outDim * inDim, 1f);
        var r = RandomFloats(rng, batch * outDim, 1f);
        var fresh = new float[weight.Length];
        var seeded = Enumerable.Repeat(10f, weight.Length).ToArray();

        ByteMlpLayers.LinearBackward(new float[input.Length], fresh, new float[outDim], r, input, weight, batch, inDim, outDim);
        ByteMlpLayers.LinearBackward(new float[input.Length], seeded, new float[outDim], r, input, weight, batch, inDim, outDim);

        AssertClose(seeded, fresh.Select(g => 10.0 + g).ToArray(), 1e-5, 0, "dweight");
    }

    [Fact]
    public void Tanh_backward_matches_finite_differences()
    {
        const int n = 40;
        var rng = new Xoshiro256(4);
        var input = RandomFloats(rng, n, 3f);
        var r = RandomFloats(rng, n, 1f);
        var output = new float[n];
        var dinput = new float[n];

        ByteMlpLayers.TanhForward(output, input, n);
        ByteMlpLayers.TanhBackward(dinput, r, output, n);

        double[] rd = ToDouble(r);
        AssertClose(dinput, NumericGradient(v => v.Select((t, i) => Math.Tanh(t) * rd[i]).Sum(), ToDouble(input)), 1e-6, Rel, "dinput");
        AssertClose(output, ToDouble(input).Select(Math.Tanh).ToArray(), 1.2e-7, 0, "output"); // within two float ulps of 1
    }

    [Fact]
    public void Embedding_backward_matches_finite_differences_with_repeated_tokens()
    {
        const int batch = 2, context = 3, embed = 5;
        int[] contexts = [3, 7, 3, 200, 7, 7]; // token 7 three times, token 3 twice: their rows must sum
        var rng = new Xoshiro256(5);
        var wte = RandomFloats(rng, ByteMlpLayout.Vocab * embed, 1f);
        var r = RandomFloats(rng, batch * context * embed, 1f);
        var x = new float[r.Length];
        var dwte = new float[wte.Length];

        ByteMlpLayers.EmbeddingForward(x, contexts, wte, batch, context, embed);
        ByteMlpLayers.EmbeddingBackward(dwte, r, contexts, batch, context, embed);

        double[] rd = ToDouble(r);
        AssertClose(x, Embed(contexts, ToDouble(wte), embed), 0, 0, "x");
        AssertClose(dwte, NumericGradient(v => Embed(contexts, v, embed).Zip(rd, (a, b) => a * b).Sum(), ToDouble(wte)), Abs, Rel, "dwte");
    }

    [Fact]
    public void Softmax_cross_entropy_backward_matches_finite_differences()
    {
        const int batch = 4, vocab = ByteMlpLayout.Vocab;
        var rng = new Xoshiro256(6);
        var logits = RandomFloats(rng, batch * vocab, 4f);
        int[] targets = [0, 17, 255, 128];
        var probs = new float[logits.Length];
        var losses = new float[batch];
        var dlogits = new float[logits.Length];

        ByteMlpLayers.SoftmaxCrossEntropyForward(probs, losses, logits, targets, batch, vocab);
        ByteMlpLayers.SoftmaxCrossEntropyBackward(dlogits, probs, targets, 1f / batch, batch, vocab);

        var reference = ToDouble(logits);
        Assert.Equal(MeanCrossEntropy(reference, targets, vocab), losses.Average(l => (double)l), 6);
        AssertClose(dlogits, NumericGradient(v => MeanCrossEntropy(v, targets, vocab), reference), 1e-7, 1e-4, "dlogits");
    }

    [Fact]
    public void Softmax_cross_entropy_loss_stays_finite_for_a_hopeless_target()
    {
        var logits = new float[ByteMlpLayout.Vocab];
        logits[1] = 200f; // target 0 gets probability e^-200, which underflows float
        var probs = new float[logits.Length];
        var losses = new float[1];

        ByteMlpLayers.SoftmaxCrossEntropyForward(probs, losses, logits, [0], 1, ByteMlpLayout.Vocab);

        Assert.Equal(200f, losses[0], 3);
    }
}
