using System.CommandLine;
using Federated.Domain.Runs;

namespace Federated.Cli.Commands;

/// <summary>`fed demo`: a complete federated run on the built-in corpus, coordinator and workers in-process.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var workers = new Option<int>("--workers", "-w") { Description = "In-process workers", DefaultValueFactory = _ => 2 };
        var rounds = new Option<int>("--rounds", "-r") { Description = "Federated rounds", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed gives the same model bytes", DefaultValueFactory = _ => 42 };
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json("the summary");
        var noChain = new Option<bool>("--no-chain") { Description = "Do not start the private anvil chain nor pay rewards" };

        var keystores = new Option<FileInfo[]>("--worker-keystore")
        {
            Description = "Keystore of worker-1, then worker-2, ... (repeat the option); workers without one sign with a key derived from the seed",
            AllowMultipleArgumentsPerToken = false,
        };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = $"The keystores' password, first line (default: ${Identity.WorkerKeys.PasswordVariable})" };
        var command = new Command("demo", "Run a complete federated training run on the built-in corpus with in-process workers")
        {
            workers, rounds, seed, dataDir, json, noChain, keystores, passwordFile,
        };
        command.SetAction((parse, ct) =>
        {
            var spec = DemoSpec(parse.GetValue(workers), parse.GetValue(rounds), parse.GetValue(seed));
            List<byte[]> keys;
            try
            {
                var files = parse.GetValue(keystores) ?? [];
                var password = files.Length == 0 ? "" : Identity.WorkerKeys.Password(parse.GetValue(passwordFile)?.FullName);
                keys = [.. files.Select(f => Identity.WorkerKeys.FromKeystore(f.FullName, password).PrivateKey)];
            }
            catch (Identity.WorkerKeyException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunExecution.ExecuteAsync(spec, null, parse.GetValue(dataDir)!, parse.GetValue(json), ct, keys, chain: !parse.GetValue(noChain));
        });
        return command;
    }

    /// <summary>The demo's run: a small GPT (2 layers, 2 heads, width 64, context 64; byte tokens), one shard per
    /// worker per round, sized to finish in a minute or two on 2 cores.</summary>
    public static RunSpec DemoSpec(int workers, int rounds, ulong seed) => new()
    {
        Name = "demo",
        Seed = seed,
        Model = new ModelSpec("gpt", new Dictionary<string, int> { ["vocab"] = 256, ["context"] = 64, ["layers"] = 2, ["heads"] = 2, ["width"] = 64 }),
        Dataset = new DatasetSpec("builtin", null, 0.1),
        Rounds = rounds,
        Workers = workers,
        ShardsPerRound = workers,
        ShardTokens = 32_768,
        LocalSteps = 60,
        BatchSize = 16,
        LearningRate = 3e-3f,
        EvalTokens = 8_192,
    };
}
