using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Onnx;
using Federated.Engine.Numerics;
using Microsoft.ML.OnnxRuntime;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>The exported ONNX graph, run by ONNX Runtime 1.32 (the Microsoft.ML.OnnxRuntime package, called
/// directly: InferenceSession and OrtValue), against the engine's forward pass. Tolerance: max|ort - engine| / max|engine| ≤ 1e-4 per input.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gptonnx").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Exported(GptConfig config, float[] weights)
    {
        string path = Path.Combine(_dir, "model.onnx");
        GptOnnxExporter.Export(path, config, weights);
        return path;
    }

    [Fact]
    public void The_tests_run_onnx_runtime_1_32_from_its_package()
    {
        Assert.Equal("1.32.0", OrtEnv.Instance().GetVersionString());
    }

    [Fact]
    public void Onnx_runtime_refuses_a_file_that_is_not_onnx()
    {
        string path = Path.Combine(_dir, "garbage.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4]);
        Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(path));
    }

    [Theory]
    [InlineData(2, 2, 32, 16)]
    [InlineData(4, 4, 128, 128)]  // gpt-tiny
    public void Onnx_runtime_logits_match_the_engine(int layers, int heads, int width, int context)
    {
        var config = new GptConfig(256, context, layers, heads, width);
        var net = new GptNetwork(config);
        var weights = PerturbedWeights(net.Layout, 11);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(Exported(config, weights), options);
        using var run = new RunOptions();
        var rng = new SeededRandom(5);
        foreach (var (b, t) in new[] { (1, 1), (2, 7), (3, context) })   // includes the full context
        {
            var ids = Enumerable.Range(0, b * t).Select(_ => rng.NextInt(256)).ToArray();
            net.Forward(weights, ids, [], b, t);
            var expected = net.Logits.ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), [b, t]);
            using var outputs = session.Run(run, ["input_ids"], [input], ["logits"]);
            Assert.Equal([b, t, 256L], outputs[0].GetTensorTypeAndShape().Shape);
            var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
                maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
            }
            Assert.True(maxDiff <= 1e-4 * maxRef, $"B={b} T={t}: max |ort - engine| {maxDiff:E2} vs max |logit| {maxRef:E2}");
        }
    }

    [Fact]
    public void Export_refuses_nan_weights_naming_the_tensor()
    {
        var config = new GptConfig(256, 16, 1, 1, 8);
        var layout = new GptParameterLayout(config);
        var weights = GptInitializer.Initialize(layout, 1);
        weights[layout["ln_f.weight"].Offset] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => GptOnnxExporter.Build(config, weights));
        Assert.Contains("'ln_f.weight'", e.Message);
    }

    // GPT-2 init has zero biases and unit gains; perturb everything so every initializer matters
    private static float[] PerturbedWeights(GptParameterLayout layout, ulong seed)
    {
        var w = GptInitializer.Initialize(layout, seed);
        var rng = new SeededRandom(seed + 1);
        for (int i = 0; i < w.Length; i++) w[i] += (float)(0.05 * rng.NextGaussian());
        return w;
    }
}
