using System.Text.Json;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;
using Xunit.Abstractions;

namespace Federated.Engine.Tests.Gpt;

/// <summary>
/// The whole model against PyTorch (in the spirit of llm.c's test_gpt2): logits, loss and every gradient
/// at step 0, then the losses of 10 AdamW steps. The fixture comes from tools/gpt_reference.py, which
/// computes in float64; tolerances are those of the issue, measured as max|ours - ref| / max|ref| per tensor.
/// </summary>
public class GptReferenceTests(ITestOutputHelper output)
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "gpt_reference.safetensors");

    private sealed record Fixture(SafetensorsFile File, GptConfig Config, float[] Weights, int[] Inputs, int[] Targets, int B, int T);

    private static Fixture Load()
    {
        Assert.True(System.IO.File.Exists(FixturePath), $"missing {FixturePath}; regenerate with /usr/bin/python3 tools/gpt_reference.py");
        var file = SafetensorsFile.Read(FixturePath);
        var settings = JsonSerializer.Deserialize<Dictionary<string, int>>(file.Metadata["config"])!;
        var config = GptConfig.FromModelConfig(new ModelConfig("gpt", settings));
        var shape = file["input_ids"].Shape;
        return new Fixture(file, config, GptCheckpoint.ReadParameters(file, config, allowExtraTensors: true),
            file.ReadInt32("input_ids"), file.ReadInt32("targets"), (int)shape[0], (int)shape[1]);
    }

    private static double NormalisedError(ReadOnlySpan<float> ours, ReadOnlySpan<float> reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)ours[i] - reference[i]));
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }
        return maxDiff / Math.Max(maxRef, 1e-30);
    }

    [Fact]
    public void Logits_and_loss_match_pytorch_to_1e_4()
    {
        var f = Load();
        var net = new GptNetwork(f.Config);
        float loss = net.Forward(f.Weights, f.Inputs, f.Targets, f.B, f.T);
        double logitsError = NormalisedError(net.Logits, f.File.ReadFloat32("logits"));
        Assert.True(logitsError <= 1e-4, $"logits relative error {logitsError:E2}");
        float reference = f.File.ReadFloat32("loss")[0];
        output.WriteLine($"logits error {logitsError:E2}, loss {loss} vs {reference} (relative {Math.Abs(loss - reference) / reference:E2})");
        Assert.True(Math.Abs(loss - reference) <= 1e-4 * Math.Abs(reference), $"loss {loss} vs PyTorch {reference}");
    }

    [Fact]
    public void Every_gradient_matches_pytorch_to_1e_3()
    {
        var f = Load();
        var net = new GptNetwork(f.Config);
        var grads = new float[net.Layout.Count];
        net.Forward(f.Weights, f.Inputs, f.Targets, f.B, f.T);
        net.Backward(f.Weights, grads, f.Inputs, f.Targets);
        foreach (var t in net.Layout.Tensors)
        {
            double error = NormalisedError(grads.AsSpan(t.Offset, t.Length), f.File.ReadFloat32("grad." + t.Name));
            output.WriteLine($"grad {t.Name}: {error:E2}");
            Assert.True(error <= 1e-3, $"gradient of {t.Name}: relative error {error:E2}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Ten_adamw_steps_follow_pytorch_losses_to_1e_3(int threads)
    {
        var f = Load();
        var adam = JsonSerializer.Deserialize<JsonElement>(f.File.Metadata["adamw"]);
        var betas = adam.GetProperty("betas").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        var trainer = new GptTrainer(f.Config, f.Weights, new AdamWOptions(betas[0], betas[1], adam.GetProperty("eps").GetSingle(),
            adam.GetProperty("weight_decay").GetSingle()), threads) { GradClip = adam.GetProperty("clip").GetSingle() };
        var reference = f.File.ReadFloat32("step_losses");
        var schedule = new LearningRateSchedule(adam.GetProperty("lr_peak").GetSingle(), adam.GetProperty("lr_min").GetSingle(),
            adam.GetProperty("warmup").GetInt32(), reference.Length);
        var batch = new TokenBatch(f.Inputs, f.Targets, f.B, f.T);
        for (int step = 0; step < reference.Length; step++)
        {
            float loss = trainer.Step([batch], schedule.At(step)).Loss;
            output.WriteLine($"step {step}: {loss} vs {reference[step]} (relative {Math.Abs(loss - reference[step]) / reference[step]:E2})");
            Assert.True(Math.Abs(loss - reference[step]) <= 1e-3 * Math.Abs(reference[step]),
                $"step {step}: loss {loss} vs PyTorch {reference[step]}");
        }
    }

    [Fact]
    public void Two_micro_batches_accumulate_to_the_full_batch_gradient()
    {
        var f = Load();
        var net = new GptNetwork(f.Config);
        var full = new float[net.Layout.Count];
        net.Forward(f.Weights, f.Inputs, f.Targets, f.B, f.T);
        net.Backward(f.Weights, full, f.Inputs, f.Targets);
        var accumulated = new float[net.Layout.Count];
        for (int i = 0; i < f.B; i++)
        {
            var inputs = f.Inputs.AsSpan(i * f.T, f.T).ToArray();
            var targets = f.Targets.AsSpan(i * f.T, f.T).ToArray();
            net.Forward(f.Weights, inputs, targets, 1, f.T);
            net.Backward(f.Weights, accumulated, inputs, targets, 1f / f.B);
        }
        double error = NormalisedError(accumulated, full);
        Assert.True(error <= 1e-5, $"accumulated gradient relative error {error:E2}");
    }
}
