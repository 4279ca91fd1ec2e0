using System.CommandLine;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;

namespace Federated.Cli.Commands;

/// <summary>`fed run spec.yaml`: a run from a spec file, on the embedded default.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "Run spec, JSON or YAML (see models/)" };
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json("the summary");
        var noChain = new Option<bool>("--no-chain") { Description = "Do not start the private anvil chain nor pay rewards" };
        var dataRoot = CommonOptions.DataRoot("the spec file's folder");
        var maxDatasetBytes = CommonOptions.MaxDatasetBytes();
        var command = new Command("run", "Run a federated training run from a spec file on the embedded default") { spec, dataDir, json, noChain, dataRoot, maxDatasetBytes };
        command.SetAction((parse, ct) =>
        {
            var file = parse.GetValue(spec)!;
            RunSpec loaded;
            try
            {
                loaded = RunSpecFile.Load(file.FullName);
            }
            catch (RunSpecException e)
            {
                Console.Error.WriteLine($"error: invalid run spec {file.FullName}: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            if (!CommonOptions.TryDataRoot(parse.GetValue(dataRoot) ?? file.DirectoryName, parse.GetValue(maxDatasetBytes), out var root))
                return Task.FromResult(ExitCodes.BadInput);
            return RunExecution.ExecuteAsync(loaded, root, parse.GetValue(dataDir)!, parse.GetValue(json), ct, chain: !parse.GetValue(noChain));
        });
        return command;
    }
}
