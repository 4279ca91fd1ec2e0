using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Onnx;

namespace Federated.Cli.Tests;

/// <summary>`fed export` and `fed generate` on a GPT checkpoint, as a user runs them.</summary>
public sealed class ExportGenerateTests
{
    private static readonly GptConfig Config = new(256, 16, 1, 2, 16);

    private static string WriteCheckpoint(TempDir dir, ulong seed = 5)
    {
        var path = dir.File("model.safetensors");
        GptCheckpoint.Save(path, Config, new GptModel(Config).Initialize(seed));
        return path;
    }

    [Fact]
    public async Task Export_writes_the_exporters_onnx_model_and_a_checkpoint_that_loads_back_equal()
    {
        using var dir = new TempDir();
        var checkpoint = WriteCheckpoint(dir);

        var result = await FedProcess.RunAsync("export", "--checkpoint", checkpoint, "--onnx", dir.File("m.onnx"), "--safetensors", dir.File("m.safetensors"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        var (config, weights) = GptCheckpoint.Load(checkpoint);
        Assert.Equal(GptOnnxExporter.Build(config, weights), await File.ReadAllBytesAsync(dir.File("m.onnx")));
        Assert.Equal(weights, GptCheckpoint.Load(dir.File("m.safetensors"), config));
    }

    [Fact]
    public async Task Export_without_an_output_says_what_to_give()
    {
        using var dir = new TempDir();

        var result = await FedProcess.RunAsync("export", "--checkpoint", WriteCheckpoint(dir));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --onnx <file> and/or --safetensors <file>", result.Stderr);
    }

    [Fact]
    public async Task Generate_with_the_same_seed_prints_the_same_text_and_another_seed_differs()
    {
        using var dir = new TempDir();
        var checkpoint = WriteCheckpoint(dir);

        var a = await FedProcess.RunAsync("generate", "--checkpoint", checkpoint, "--prompt", "To be", "-n", "64", "--seed", "9");
        var b = await FedProcess.RunAsync("generate", "--checkpoint", checkpoint, "--prompt", "To be", "-n", "64", "--seed", "9");
        var c = await FedProcess.RunAsync("generate", "--checkpoint", checkpoint, "--prompt", "To be", "-n", "64", "--seed", "10");

        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.StartsWith("To be", a.Stdout);
        Assert.Equal(a.Stdout, b.Stdout);
        Assert.NotEqual(a.Stdout, c.Stdout);
    }

    [Fact]
    public async Task A_truncated_checkpoint_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(WriteCheckpoint(dir));
        await File.WriteAllBytesAsync(dir.File("cut.safetensors"), bytes[..(bytes.Length / 2)]);

        var result = await FedProcess.RunAsync("generate", "--checkpoint", dir.File("cut.safetensors"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cut.safetensors", result.Stderr);
        Assert.Contains("truncated", result.Stderr);
    }

    [Fact]
    public async Task A_negative_temperature_is_refused_before_the_checkpoint_is_read()
    {
        using var dir = new TempDir();

        var result = await FedProcess.RunAsync("generate", "--checkpoint", dir.File("absent.safetensors"), "--temperature", "-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--temperature must be finite and >= 0, got -1", result.Stderr);
    }

    [Fact]
    public async Task Generate_without_a_checkpoint_in_the_data_directory_says_so()
    {
        using var dir = new TempDir();

        var result = await FedProcess.RunAsync("generate", "--data-dir", dir.File("empty"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no GPT checkpoint under", result.Stderr);
    }
}
