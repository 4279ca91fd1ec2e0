using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Onnx;
using Federated.Engine.Numerics;
using Federated.Engine.Onnx;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>
/// An exported GPT served through ONNX Runtime (<see cref="OnnxGptModel"/>) against the engine on the same
/// weights: generation through the shared sampling loop and held-out loss, plus the refusals of files that
/// are not an exported GPT.
/// </summary>
public sealed class OnnxGptModelTests : IDisposable
{
    private static readonly GptConfig Config = new(256, 16, 2, 2, 32);
    private readonly string _dir = Directory.CreateTempSubdirectory("gptonnxmodel").FullName;
    private readonly float[] _weights = PerturbedWeights(new GptParameterLayout(Config), 21);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OnnxGptModel Exported()
    {
        string path = Path.Combine(_dir, "model.onnx");
        GptOnnxExporter.Export(path, Config, _weights);
        return OnnxGptModel.Open(path);
    }

    [Fact]
    public void Open_reads_the_config_the_export_names()
    {
        using var model = Exported();
        Assert.Equal(Config, model.Config);
    }

    [Fact]
    public void Greedy_generation_gives_the_engines_tokens()
    {
        using var model = Exported();
        var prompt = "To be, or not"u8.ToArray().Select(b => (int)b).ToArray();
        var options = new SamplingOptions(40, Temperature: 0f);   // 40 > context: the window slides

        var engine = GptSampler.Generate(Config, _weights, prompt, options);
        var onnx = GptSampler.Generate(Config.Context, Config.Vocab, prompt, options, model.NextTokenLogits);

        Assert.Equal(engine, onnx);
    }

    [Theory]
    [InlineData(3UL, 1.0f, 0)]
    [InlineData(4UL, 0.8f, 40)]
    public void Sampling_with_the_same_seed_gives_the_engines_tokens(ulong seed, float temperature, int topK)
    {
        using var model = Exported();
        var prompt = new[] { 84, 111 };
        var options = new SamplingOptions(40, temperature, topK, seed);

        var engine = GptSampler.Generate(Config, _weights, prompt, options);
        var onnx = GptSampler.Generate(Config.Context, Config.Vocab, prompt, options, model.NextTokenLogits);

        Assert.Equal(engine, onnx);
    }

    [Fact]
    public void Next_token_logits_agree_with_the_engine_to_1e_4()
    {
        using var model = Exported();
        var window = new[] { 1, 2, 3, 250, 7 };
        var net = new GptNetwork(Config);
        net.Forward(_weights, window, [], 1, window.Length);
        var expected = net.Logits.Slice((window.Length - 1) * Config.Vocab, Config.Vocab).ToArray();
        var actual = new float[Config.Vocab];

        model.NextTokenLogits(window, actual);

        Assert.All(Enumerable.Range(0, Config.Vocab), i => Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4,
            $"logit {i}: onnx {actual[i]} engine {expected[i]}"));
    }

    [Theory]
    [InlineData(100, 0)]    // 99 targets: six full windows of 16 and a tail of 3
    [InlineData(100, 37)]   // a token budget that ends inside a window
    [InlineData(9, 0)]      // shorter than the context: one window of 8
    public void Held_out_loss_equals_the_engines_evaluate_to_1e_4(int length, int maxTokens)
    {
        using var model = Exported();
        var rng = new SeededRandom(8);
        var tokens = Enumerable.Range(0, length).Select(_ => rng.NextInt(256)).ToArray();

        float engine = new GptModel(Config).Evaluate(_weights, tokens, new EvaluateOptions(maxTokens));
        float onnx = model.Evaluate(tokens, maxTokens);

        Assert.True(Math.Abs(onnx - engine) <= 1e-4, $"onnx {onnx} engine {engine}");
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_naming_it()
    {
        string path = Path.Combine(_dir, "notes.onnx");
        File.WriteAllText(path, "this is not a protobuf model");

        var e = Assert.Throws<OnnxModelException>(() => OnnxGptModel.Open(path));

        Assert.StartsWith($"{path} is not a model ONNX Runtime can load", e.Message);
    }

    [Fact]
    public void A_truncated_export_is_refused_naming_it()
    {
        string path = Path.Combine(_dir, "cut.onnx");
        var bytes = GptOnnxExporter.Build(Config, _weights);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<OnnxModelException>(() => OnnxGptModel.Open(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_model_with_other_inputs_is_refused_naming_them()
    {
        string path = Path.Combine(_dir, "identity.onnx");
        File.WriteAllBytes(path, ForeignOnnx.Identity("pixels"));

        var e = Assert.Throws<OnnxModelException>(() => OnnxGptModel.Open(path));

        Assert.Equal($"{path}: expected one input 'input_ids' Int64 (batch, sequence); the model's inputs are 'pixels' Float [-1,3]", e.Message);
    }

    [Fact]
    public void A_model_without_a_gpt_description_is_refused_saying_the_context_is_unknown()
    {
        string path = Path.Combine(_dir, "lookup.onnx");
        File.WriteAllBytes(path, ForeignOnnx.Lookup(vocab: 256, doc: "a lookup table"));

        var e = Assert.Throws<OnnxModelException>(() => OnnxGptModel.Open(path));

        Assert.Contains($"{path}: the graph description does not name a GPT config", e.Message);
        Assert.Contains("a lookup table", e.Message);
    }

    [Fact]
    public void A_description_that_overstates_the_context_fails_on_the_first_longer_window_naming_the_file()
    {
        // same byte length, so the protobuf stays well formed: the graph has 8 positions, the description claims 9
        var small = new GptConfig(256, 8, 1, 2, 16);
        var bytes = GptOnnxExporter.Build(small, GptInitializer.Initialize(new GptParameterLayout(small), 3));
        string path = Path.Combine(_dir, "overstated.onnx");
        File.WriteAllBytes(path, Replace(bytes, "context=8,"u8, "context=9,"u8));
        using var model = OnnxGptModel.Open(path);   // a one-token probe cannot tell

        var e = Assert.Throws<OnnxModelException>(() => model.Evaluate(Enumerable.Range(0, 20).ToArray()));

        Assert.StartsWith($"{path}: ONNX Runtime failed to run the graph on [1,9] ids", e.Message);
    }

    private static byte[] Replace(byte[] bytes, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        int at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0);
        var copy = (byte[])bytes.Clone();
        to.CopyTo(copy.AsSpan(at));
        return copy;
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        string path = Path.Combine(_dir, "absent.onnx");

        var e = Assert.Throws<OnnxModelException>(() => OnnxGptModel.Open(path));

        Assert.Equal($"{path} does not exist", e.Message);
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
