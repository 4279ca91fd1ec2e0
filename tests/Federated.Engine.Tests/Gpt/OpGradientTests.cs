using Federated.Engine.Gpt.Ops;
using static Federated.Engine.Tests.Gpt.GradientCheck;

namespace Federated.Engine.Tests.Gpt;

/// <summary>Every op's backward against finite differences of L = Σ out·w, w a fixed random upstream gradient.
/// Tolerance 2e-2 relative (float32 forward, eps 1e-2), stated in <see cref="GradientCheck.Check"/>.</summary>
public class OpGradientTests
{
    [Fact]
    public void Encoder_backward_matches_finite_differences()
    {
        int b = 2, t = 3, c = 5, v = 7;
        var wte = Random(v * c, 1); var wpe = Random(t * c, 2);
        int[] tokens = [1, 4, 1, 6, 0, 4]; // repeats: scatter-add must accumulate
        var w = Random(b * t * c, 3);
        var @out = new float[b * t * c];
        double L() { Encoder.Forward(@out, tokens, wte, wpe, b, t, c); return Dot(@out, w); }
        var dwte = new float[wte.Length]; var dwpe = new float[wpe.Length];
        Encoder.Backward(dwte, dwpe, w, tokens, b, t, c);
        Check("dwte", wte, dwte, L, samples: wte.Length);
        Check("dwpe", wpe, dwpe, L, samples: wpe.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LayerNorm_backward_matches_finite_differences(int threads)
    {
        int bt = 37, c = 24;
        var inp = Random(bt * c, 4, 2f); var weight = Random(c, 5); var bias = Random(c, 6);
        var w = Random(bt * c, 7);
        var @out = new float[bt * c]; var mean = new float[bt]; var rstd = new float[bt];
        double L() { LayerNorm.Forward(@out, mean, rstd, inp, weight, bias, bt, c, threads); return Dot(@out, w); }
        L();
        var dinp = new float[inp.Length]; var dw = new float[c]; var db = new float[c];
        LayerNorm.Backward(dinp, dw, db, w, inp, weight, mean, rstd, bt, c, threads);
        Check("dinp", inp, dinp, L);
        Check("dweight", weight, dw, L, samples: c);
        Check("dbias", bias, db, L, samples: c);
    }

    [Theory]
    [InlineData(9, 20, 40, 1)]   // rows and columns off the 4x32 tile: exercises the edge paths
    [InlineData(64, 32, 96, 2)]
    public void MatMul_backward_matches_finite_differences(int bt, int c, int oc, int threads)
    {
        var inp = Random(bt * c, 8); var weight = Random(oc * c, 9, 0.5f); var bias = Random(oc, 10);
        var w = Random(bt * oc, 11);
        var @out = new float[bt * oc];
        double L() { MatMul.Forward(@out, inp, weight, bias, bt, c, oc, threads); return Dot(@out, w); }
        var dinp = new float[inp.Length]; var dw = new float[weight.Length]; var db = new float[oc];
        MatMul.Backward(dinp, dw, db, w, inp, weight, bt, c, oc, threads);
        Check("dinp", inp, dinp, L);
        Check("dweight", weight, dw, L);
        Check("dbias", bias, db, L);
    }

    [Theory]
    [InlineData(2, 5, 12, 3, 1)]
    [InlineData(2, 5, 12, 3, 2)]
    [InlineData(1, 70, 64, 2, 2)]   // more than one 64-row causal block, 32-wide heads on the SIMD kernels
    public void Attention_backward_matches_finite_differences(int b, int t, int c, int h, int threads)
    {
        var qkv = Random(b * t * 3 * c, 12);
        var w = Random(b * t * c, 13);
        var @out = new float[b * t * c]; var att = new float[b * h * t * t];
        double L() { Attention.Forward(@out, att, qkv, b, t, c, h, threads); return Dot(@out, w); }
        L();
        var dqkv = new float[qkv.Length];
        Attention.Backward(dqkv, w, qkv, att, b, t, c, h, threads);
        Check("dqkv", qkv, dqkv, L, samples: Math.Min(qkv.Length, 400));
    }

    [Fact]
    public void Attention_is_causal()
    {
        int b = 1, t = 4, c = 4, h = 2;
        var qkv = Random(b * t * 3 * c, 14);
        var out1 = new float[t * c]; var att = new float[h * t * t];
        Attention.Forward(out1, att, qkv, b, t, c, h, 1);
        for (int i = 0; i < c; i++) qkv[(t - 1) * 3 * c + 2 * c + i] += 5f; // change the last position's value
        var out2 = new float[t * c];
        Attention.Forward(out2, att, qkv, b, t, c, h, 1);
        Assert.Equal(out1.AsSpan(0, (t - 1) * c).ToArray(), out2.AsSpan(0, (t - 1) * c).ToArray());
    }

    [Fact]
    public void Gelu_backward_matches_finite_differences()
    {
        int n = 2500; // more than one 1024-element chunk
        var inp = Random(n, 15, 4f); var w = Random(n, 16);
        var @out = new float[n];
        double L() { Gelu.Forward(@out, inp, n, 2); return Dot(@out, w); }
        var dinp = new float[n];
        Gelu.Backward(dinp, inp, w, n, 2);
        Check("dinp", inp, dinp, L, samples: 200, eps: 1e-3f);
    }

    [Fact]
    public void Gelu_forward_matches_the_tanh_formula()
    {
        float[] x = [-3f, -0.5f, 0f, 0.7f, 2.5f];
        var y = new float[x.Length];
        Gelu.Forward(y, x, x.Length, 1);
        for (int i = 0; i < x.Length; i++)
        {
            double u = Math.Sqrt(2 / Math.PI) * (x[i] + 0.044715 * Math.Pow(x[i], 3));
            Assert.Equal(0.5 * x[i] * (1 + Math.Tanh(u)), y[i], 1e-6);
        }
    }

    [Fact]
    public void Residual_backward_matches_finite_differences()
    {
        int n = 10;
        var a = Random(n, 17); var bIn = Random(n, 18); var w = Random(n, 19);
        var @out = new float[n];
        double L() { Residual.Forward(@out, a, bIn, n); return Dot(@out, w); }
        var da = new float[n]; var db = new float[n];
        Residual.Backward(da, db, w, n);
        Check("da", a, da, L, samples: n);
        Check("db", bIn, db, L, samples: n);
    }

    [Fact]
    public void SoftmaxCrossEntropy_backward_matches_finite_differences()
    {
        int bt = 6, v = 11;
        var logits = Random(bt * v, 20, 3f);
        int[] targets = [0, 3, 10, 5, 5, 1];
        var probs = new float[bt * v]; var losses = new float[bt];
        double L()
        {
            SoftmaxCrossEntropy.Forward(probs, losses, logits, targets, bt, v, 1);
            return losses.Sum(x => (double)x) / bt;
        }
        L();
        var dlogits = new float[bt * v];
        SoftmaxCrossEntropy.Backward(dlogits, probs, targets, 1f / bt, bt, v, 1);
        Check("dlogits", logits, dlogits, L, samples: logits.Length);
    }
}
