using Federated.Engine.ByteMlp;

namespace Federated.Engine.Tests.ByteMlp;

/// <summary>
/// An independent double-precision ByteMlp, written from the maths rather than from the float code, plus
/// central finite differences. Gradient checks differentiate this reference numerically (error ~1e-9,
/// well below the float gradients' own rounding) and compare with the float backward passes.
/// </summary>
internal static class DoubleReference
{
    public static double[] Linear(double[] input, double[] weight, double[] bias, int batch, int inDim, int outDim)
    {
        var output = new double[batch * outDim];
        for (var b = 0; b < batch; b++)
            for (var o = 0; o < outDim; o++)
            {
                double s = bias[o];
                for (var i = 0; i < inDim; i++) s += input[b * inDim + i] * weight[o * inDim + i];
                output[b * outDim + o] = s;
            }
        return output;
    }

    public static double[] Embed(int[] contexts, double[] wte, int embed)
    {
        var x = new double[contexts.Length * embed];
        for (var i = 0; i < contexts.Length; i++)
            for (var j = 0; j < embed; j++) x[i * embed + j] = wte[contexts[i] * embed + j];
        return x;
    }

    /// <summary>Mean over rows of -log softmax(logits)[target].</summary>
    public static double MeanCrossEntropy(double[] logits, int[] targets, int vocab)
    {
        double total = 0;
        for (var b = 0; b < targets.Length; b++)
        {
            double max = double.NegativeInfinity;
            for (var v = 0; v < vocab; v++) max = Math.Max(max, logits[b * vocab + v]);
            double sum = 0;
            for (var v = 0; v < vocab; v++) sum += Math.Exp(logits[b * vocab + v] - max);
            total += Math.Log(sum) + max - logits[b * vocab + targets[b]];
        }
        return total / targets.Length;
    }

    /// <summary>The whole model's logits (B, V) from flat double weights laid out as <paramref name="layout"/>.</summary>
    public static double[] Logits(ByteMlpLayout layout, double[] w, int[] contexts, int batch)
    {
        int h = layout.Settings.Hidden;
        double[] Part(Federated.Engine.Parameters.ParameterSlice s) => w.AsSpan(s.Offset, s.Length).ToArray();
        var x = Embed(contexts, Part(layout.Wte), layout.Settings.Embed);
        var hidden = Linear(x, Part(layout.W1), Part(layout.B1), batch, layout.Input, h).Select(Math.Tanh).ToArray();
        return Linear(hidden, Part(layout.W2), Part(layout.B2), batch, h, ByteMlpLayout.Vocab);
    }

    public static double Loss(ByteMlpLayout layout, double[] w, int[] contexts, int[] targets) =>
        MeanCrossEntropy(Logits(layout, w, contexts, targets.Length), targets, ByteMlpLayout.Vocab);

    /// <summary>Central differences of <paramref name="f"/> at <paramref name="x"/> (restored afterwards).</summary>
    public static double[] NumericGradient(Func<double[], double> f, double[] x, double step = 1e-5)
    {
        var grad = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + step;
            double up = f(x);
            x[i] = keep - step;
            double down = f(x);
            x[i] = keep;
            grad[i] = (up - down) / (2 * step);
        }
        return grad;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (var i = 0; i < values.Length; i++) d[i] = values[i];
        return d;
    }

    public static float[] RandomFloats(Xoshiro256 rng, int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (2f * rng.NextFloat() - 1f) * scale;
        return values;
    }

    public static int[] RandomTokens(Xoshiro256 rng, int count)
    {
        var tokens = new int[count];
        for (var i = 0; i < count; i++) tokens[i] = rng.NextInt(ByteMlpLayout.Vocab);
        return tokens;
    }

    /// <summary>Asserts |analytic - numeric| &lt;= absolute + relative * |numeric| element-wise, naming the first failure.</summary>
    public static void AssertClose(ReadOnlySpan<float> analytic, double[] numeric, double absolute, double relative, string what)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        for (var i = 0; i < numeric.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]);
            if (error > absolute + relative * Math.Abs(numeric[i]))
                Assert.Fail($"{what}[{i}]: analytic {analytic[i]:G9} vs numeric {numeric[i]:G9} (error {error:G3})");
        }
    }
}
