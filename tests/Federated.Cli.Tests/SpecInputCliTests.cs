namespace Federated.Cli.Tests;

/// <summary>`fed run` on hostile specs: an alias bomb, non-finite numbers and dataset paths that leave the data root
/// exit 2 with the field named, and touch nothing.</summary>
public sealed class SpecInputCliTests
{
    private const string SmallRun = "name: t\nseed: 3\nmodel:\n  family: gpt\n  settings:\n    context: 4\n    layers: 1\n    heads: 1\n    width: 8\n" +
        "rounds: 1\nworkers: 1\nshardsPerRound: 1\nshardTokens: 2048\nlocalSteps: 5\nbatchSize: 8\nevalTokens: 512\n";

    private static string Corpus => string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 100));

    [Fact]
    public async Task A_yaml_alias_bomb_exits_2_at_once_naming_the_field()
    {
        using var dir = new TempDir();
        var bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 9))}]\n"));
        await File.WriteAllTextAsync(dir.File("bomb.yaml"), bomb);

        var result = await FedProcess.RunAsync("run", dir.File("bomb.yaml"), "--data-dir", dir.File("data"), "--no-chain");

        Assert.Equal((2, false), (result.ExitCode, Directory.Exists(dir.File("data"))));
        Assert.Contains("a: YAML anchors (&a, line 1) are not accepted in a run spec", result.Stderr);
    }

    [Theory]
    [InlineData("learningRate: NaN\n", "learningRate: must be a finite number, got 'NaN'")]
    [InlineData("quorum: 1e400\n", "quorum: must be a finite number, got '1e400'")]
    [InlineData("verification:\n  sampleRate: Infinity\n", "verification.sampleRate: must be a finite number, got 'Infinity'")]
    public async Task A_non_finite_number_exits_2_naming_the_field(string line, string expected)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("spec.yaml"), "name: x\n" + line);

        var result = await FedProcess.RunAsync("run", dir.File("spec.yaml"), "--data-dir", dir.File("data"), "--no-chain");

        Assert.Equal((2, false), (result.ExitCode, Directory.Exists(dir.File("data"))));
        Assert.Contains(expected, result.Stderr);
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("../secret.txt")]
    [InlineData("link-out.txt")]
    [InlineData("/dev/zero")]
    public async Task A_dataset_outside_the_specs_folder_exits_2_and_reads_nothing(string path)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("specs"));
        await File.WriteAllTextAsync(dir.File("secret.txt"), Corpus);
        File.CreateSymbolicLink(dir.File("specs/link-out.txt"), dir.File("secret.txt"));
        await File.WriteAllTextAsync(dir.File("specs/spec.yaml"), SmallRun + $"dataset:\n  source: file\n  path: {path}\n");

        var result = await FedProcess.RunAsync("run", dir.File("specs/spec.yaml"), "--data-dir", dir.File("data"), "--no-chain");

        Assert.Equal((2, false), (result.ExitCode, Directory.Exists(dir.File("data"))));
        Assert.Contains("dataset.path: ", result.Stderr);
        Assert.Contains("outside the data root", result.Stderr);
    }

    [Fact]
    public async Task A_dataset_file_beside_the_spec_is_trained_on()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("corpus.txt"), Corpus);
        await File.WriteAllTextAsync(dir.File("spec.yaml"), SmallRun + "dataset:\n  source: file\n  path: corpus.txt\n");

        var result = await FedProcess.RunAsync("run", dir.File("spec.yaml"), "--data-dir", dir.File("data"), "--no-chain");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("completed", result.Stdout);
    }

    [Fact]
    public async Task Data_root_names_another_folder_and_a_size_limit()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("corpora"));
        await File.WriteAllTextAsync(dir.File("corpora/corpus.txt"), Corpus);
        await File.WriteAllTextAsync(dir.File("spec.yaml"), SmallRun + "dataset:\n  source: file\n  path: corpus.txt\n");

        var result = await FedProcess.RunAsync("run", dir.File("spec.yaml"), "--data-dir", dir.File("data"), "--no-chain",
            "--data-root", dir.File("corpora"), "--max-dataset-bytes", "1000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"dataset.path: file 'corpus.txt' is {Corpus.Length} bytes; dataset files are limited to 1000 bytes", result.Stderr);
    }
}
