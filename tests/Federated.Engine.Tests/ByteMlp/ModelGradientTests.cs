using Federated.Engine.ByteMlp;
using static Federated.Engine.Tests.ByteMlp.DoubleReference;

namespace Federated.Engine.Tests.ByteMlp;

/// <summary>
/// The whole model at step 0, in the spirit of llm.c's test_gpt2: logits, loss and every gradient against
/// an independent double-precision implementation (gradients by central differences).
/// </summary>
public sealed class ModelGradientTests
{
    private static readonly ByteMlpSettings Small = new(context: 3, embed: 4, hidden: 6);
    private static readonly int[] Contexts = [10, 20, 30, 40, 10, 10, 255, 0, 7, 30, 31, 32]; // (B=4, C=3)
    private static readonly int[] Targets = [65, 66, 10, 20];

    private static (ByteMlpModel Model, float[] Weights) SmallModel()
    {
        var model = new ByteMlpModel(Small);
        var weights = model.Initialize(seed: 7);
        // Non-zero biases and a larger output layer make every gradient term visible.
        var rng = new Xoshiro256(8);
        RandomFloats(rng, Small.Hidden, 0.5f).CopyTo(model.Layout.B1.Of(weights));
        RandomFloats(rng, ByteMlpLayout.Vocab * Small.Hidden, 0.5f).CopyTo(model.Layout.W2.Of(weights));
        RandomFloats(rng, ByteMlpLayout.Vocab, 0.5f).CopyTo(model.Layout.B2.Of(weights));
        return (model, weights);
    }

    [Fact]
    public void Logits_and_loss_match_the_double_reference()
    {
        var (model, weights) = SmallModel();
        var pass = new ByteMlpPass(model.Layout, Targets.Length);

        double loss = pass.Forward(weights, Contexts, Targets, Targets.Length);

        var w = ToDouble(weights);
        AssertClose(pass.Logits, Logits(model.Layout, w, Contexts, Targets.Length), 1e-5, 1e-5, "logits");
        Assert.Equal(DoubleReference.Loss(model.Layout, w, Contexts, Targets), loss, 5);
    }

    [Fact]
    public void Every_gradient_matches_finite_differences()
    {
        var (model, weights) = SmallModel();
        var pass = new ByteMlpPass(model.Layout, Targets.Length);
        var grads = new float[model.ParameterCount];

        pass.Forward(weights, Contexts, Targets, Targets.Length);
        pass.Backward(grads, weights, Contexts, Targets, Targets.Length);

        var numeric = NumericGradient(v => DoubleReference.Loss(model.Layout, v, Contexts, Targets), ToDouble(weights));
        foreach (var slice in model.Layout.Slices)
        {
            // Float backward through two layers: a few ulps of values up to ~0.3.
            AssertClose(slice.Of(grads), numeric.AsSpan(slice.Offset, slice.Length).ToArray(), 1e-6, 1e-3, slice.Name);
            Assert.True(slice.Of(grads).ToArray().Any(g => g != 0), $"{slice.Name} gradient is all zero");
        }
    }
}
