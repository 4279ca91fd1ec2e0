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

/// <summary>`fed generate --onnx` and `fed eval` on an exported model, against the same commands on its checkpoint.</summary>
public sealed class OnnxGenerateEvalTests
{
    private static readonly GptConfig Config = new(256, 16, 1, 2, 16);
    private const string Text = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n";

    private static (string Checkpoint, string Onnx) Export(TempDir dir)
    {
        var checkpoint = dir.File("model.safetensors");
        var weights = new GptModel(Config).Initialize(5);
        GptCheckpoint.Save(checkpoint, Config, weights);
        var onnx = dir.File("model.onnx");
        GptOnnxExporter.Export(onnx, Config, weights);
        return (checkpoint, onnx);
    }

    [Theory]
    [InlineData("0", "9")]     // greedy
    [InlineData("0.8", "9")]   // sampling, top-k 40
    public async Task Generate_from_the_onnx_export_prints_the_checkpoints_text(string temperature, string seed)
    {
        using var dir = new TempDir();
        var (checkpoint, onnx) = Export(dir);
        string[] common = ["--prompt", "To be", "-n", "48", "--temperature", temperature, "--seed", seed];

        var engine = await FedProcess.RunAsync(["generate", "--checkpoint", checkpoint, .. common]);
        var ort = await FedProcess.RunAsync(["generate", "--onnx", onnx, .. common]);

        Assert.True(ort.ExitCode == 0, ort.Stderr);
        Assert.Equal(engine.Stdout, ort.Stdout);
    }

    [Fact]
    public async Task Eval_of_the_onnx_export_reports_the_checkpoints_loss()
    {
        using var dir = new TempDir();
        var (checkpoint, onnx) = Export(dir);
        await File.WriteAllTextAsync(dir.File("heldout.txt"), Text);

        var engine = await FedProcess.RunAsync("eval", "--checkpoint", checkpoint, "--data", dir.File("heldout.txt"));
        var ort = await FedProcess.RunAsync("eval", "--onnx", onnx, "--data", dir.File("heldout.txt"));

        Assert.True(engine.ExitCode == 0, engine.Stderr);
        Assert.True(ort.ExitCode == 0, ort.Stderr);
        double Loss(string stdout) => double.Parse(stdout.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Loss(engine.Stdout), Loss(ort.Stdout), 1e-4);
        Assert.Matches(@"^loss \d+\.\d{6} nats/token, perplexity \d+\.\d{4}\n$", ort.Stdout);
    }

    [Fact]
    public async Task Eval_prints_the_loss_and_its_perplexity()
    {
        using var dir = new TempDir();
        var (checkpoint, _) = Export(dir);
        await File.WriteAllTextAsync(dir.File("heldout.txt"), Text);
        var tokens = Federated.Engine.Tokens.ByteTokenizer.Encode(Text);
        float loss = new GptModel(Config).Evaluate(GptCheckpoint.Load(checkpoint).Parameters, tokens, new Federated.Engine.EvaluateOptions());

        var result = await FedProcess.RunAsync("eval", "--checkpoint", checkpoint, "--data", dir.File("heldout.txt"));

        Assert.Equal(FormattableString.Invariant($"loss {loss:F6} nats/token, perplexity {Math.Exp(loss):F4}\n"), result.Stdout);
    }

    [Fact]
    public async Task A_file_that_is_not_onnx_is_refused_naming_it()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("notes.onnx"), "not a model");

        var result = await FedProcess.RunAsync("generate", "--onnx", dir.File("notes.onnx"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {dir.File("notes.onnx")} is not a model ONNX Runtime can load", result.Stderr);
    }

    [Fact]
    public async Task A_foreign_onnx_model_is_refused_naming_its_inputs()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("identity.onnx"), Federated.Engine.Tests.Gpt.Onnx.ForeignOnnx.Identity("pixels"));
        await File.WriteAllTextAsync(dir.File("heldout.txt"), Text);

        var result = await FedProcess.RunAsync("eval", "--onnx", dir.File("identity.onnx"), "--data", dir.File("heldout.txt"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{dir.File("identity.onnx")}: expected one input 'input_ids' Int64 (batch, sequence); the model's inputs are 'pixels' Float [-1,3]", result.Stderr);
    }

    [Fact]
    public async Task Eval_without_the_data_file_says_so()
    {
        using var dir = new TempDir();
        var (_, onnx) = Export(dir);

        var result = await FedProcess.RunAsync("eval", "--onnx", onnx, "--data", dir.File("absent.txt"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"data file {dir.File("absent.txt")} does not exist", result.Stderr);
    }

    [Fact]
    public async Task Both_a_checkpoint_and_an_onnx_model_is_refused()
    {
        using var dir = new TempDir();
        var (checkpoint, onnx) = Export(dir);

        var result = await FedProcess.RunAsync("generate", "--checkpoint", checkpoint, "--onnx", onnx);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --checkpoint or --onnx, not both", result.Stderr);
    }
}
