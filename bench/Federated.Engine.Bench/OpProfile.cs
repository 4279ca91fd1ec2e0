using System.Diagnostics;
using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Ops;
using Federated.Engine.Numerics;

namespace Federated.Engine.Bench;

/// <summary>Time per op at one model's training shapes (`profile --model gpt-tiny --batch 16`), to see where a step goes.</summary>
public static class OpProfile
{
    public static void Run(BenchOptions o)
    {
        var c = BenchOptions.Model(o.ModelName);
        int b = o.Batch, t = c.Context, ch = c.Width, bt = b * t, n = o.Threads;
        var rng = new SeededRandom(1);
        float[] R(int len) { var a = new float[len]; for (int i = 0; i < len; i++) a[i] = (float)(rng.NextDouble() - 0.5); return a; }
        var x = R(bt * 4 * ch); var y = R(bt * Math.Max(4 * ch, c.Vocab)); var w = R(Math.Max(4 * ch, c.Vocab) * ch); var bias = R(4 * ch);
        var dx = R(bt * 4 * ch); var dw = R(w.Length); var db = R(4 * ch);
        var scratch = new float[Math.Max(4 * ch * ch, bt * Math.Max(4 * ch, c.Vocab))];
        var att = R(b * c.Heads * t * t); var qkv = R(bt * 3 * ch); var mean = R(bt); var rstd = R(bt);
        void Time(string name, int reps, Action a)
        {
            a();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) a();
            Console.WriteLine($"{name,-34}{sw.Elapsed.TotalMilliseconds / reps,9:F2} ms");
        }
        Time("gemm fwd-shape 2048x384x128", 5, () => Gemm.Multiply(y, x, w, bt, 3 * ch, ch, false, n));
        Time("gemm dinp-shape 2048x128x384", 5, () => Gemm.Multiply(y, x, w, bt, ch, 3 * ch, false, n));
        Time("gemm dW-shape 384x128x2048", 5, () => Gemm.Multiply(dw, x, y, 3 * ch, ch, bt, true, n));
        Time("gemm dW-shape transposed A", 5, () => Gemm.Multiply(dw, y, x, 3 * ch, ch, bt, true, true, n));
        Time("transpose 2048x384", 5, () => Gemm.Transpose(scratch, y, bt, 3 * ch));
        foreach (var (label, inC, outC) in new[] { ("qkv", ch, 3 * ch), ("attn proj", ch, ch), ("fc", ch, 4 * ch), ("fc proj", 4 * ch, ch), ("lm head", ch, c.Vocab) })
        {
            Time($"matmul fwd {label} ({inC}->{outC})", 5, () => MatMul.Forward(y, x, w, bias, bt, inC, outC, n));
            Time($"matmul bwd {label}", 5, () => MatMul.Backward(dx, dw, db, y, x, w, bt, inC, outC, n));
        }
        Time("attention fwd", 5, () => Attention.Forward(x, att, qkv, b, t, ch, c.Heads, n));
        Time("attention bwd", 5, () => Attention.Backward(dx, x, qkv, att, b, t, ch, c.Heads, n));
        Time("layernorm fwd", 5, () => LayerNorm.Forward(y, mean, rstd, x, w, bias, bt, ch, n));
        Time("layernorm bwd", 5, () => LayerNorm.Backward(dx, dw, db, y, x, w, mean, rstd, bt, ch, n));
        Time("gelu fwd (4C)", 5, () => Gelu.Forward(y, x, bt * 4 * ch, n));
        Time("gelu bwd (4C)", 5, () => Gelu.Backward(dx, x, y, bt * 4 * ch, n));
        var targets = new int[bt];
        Time("softmax+xent fwd", 5, () => SoftmaxCrossEntropy.Forward(dx, mean, y, targets, bt, c.Vocab, n));
        var layout = new GptParameterLayout(c);
        var adam = new AdamW(layout, new AdamWOptions());
        var p = R(layout.Count); var g = R(layout.Count);
        Time("adamw", 5, () => adam.Step(p, g, 1e-4f));
    }
}
