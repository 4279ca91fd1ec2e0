using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Onnx;
using Federated.Engine.Models;

namespace Federated.Engine.Tests.Gpt;

/// <summary>The "Using it" example of docs/engine.md, kept compiling and passing here.</summary>
public sealed class EngineDocExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gptdoc").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_documented_round_trip_works()
    {
        int[] tokens = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("To be, or not to be. ", 50))).Select(b => (int)b).ToArray();
        string checkpointPath = Path.Combine(_dir, "model.safetensors"), onnxPath = Path.Combine(_dir, "model.onnx");

        // --- docs/engine.md "Using it" ---
        var model = (GptModel)ModelFactory.Create(new ModelConfig("gpt", new Dictionary<string, int>
        {
            ["layers"] = 2, ["heads"] = 2, ["width"] = 64, ["context"] = 64,   // models/gpt-nano.json
        }));
        float[] weights = model.Initialize(seed: 1);
        TrainResult result = model.Train(weights, tokens, new TrainOptions(Steps: 20, BatchSize: 16, LearningRate: 3e-3f, Seed: 7) { Threads = 2 });
        for (int i = 0; i < weights.Length; i++) weights[i] += result.Update[i];
        float heldOut = model.Evaluate(weights, tokens, new EvaluateOptions(MaxTokens: 512));

        GptCheckpoint.Save(checkpointPath, model.Config, weights);
        var (config, loaded) = GptCheckpoint.Load(checkpointPath);
        GptOnnxExporter.Export(onnxPath, config, loaded);
        int[] sample = GptSampler.Generate(config, loaded, "To be"u8.ToArray().Select(b => (int)b).ToArray(),
            new SamplingOptions(MaxNewTokens: 40, Temperature: 0.8f, TopK: 20, Seed: 1));
        // ---

        Assert.True(heldOut < result.MeanLoss + 1f);
        Assert.Equal(weights, loaded);
        Assert.True(new FileInfo(onnxPath).Length > 4 * weights.Length);
        Assert.Equal(40, sample.Length);
    }
}
