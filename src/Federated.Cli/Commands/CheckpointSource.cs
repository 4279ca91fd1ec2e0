using System.CommandLine;
using Federated.Cli.Embedded;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;

namespace Federated.Cli.Commands;

/// <summary>Where `fed export` and `fed generate` take a GPT model from: a named checkpoint, or the newest run's final one.</summary>
internal sealed class CheckpointSource
{
    public Option<string?> Checkpoint { get; } = new("--checkpoint", "-c")
    {
        Description = "A GPT checkpoint (.safetensors); default: the newest run's final checkpoint in the data directory",
    };

    public Option<string> DataDir { get; } = CommonOptions.DataDir();

    public void AddTo(Command command)
    {
        command.Options.Add(Checkpoint);
        command.Options.Add(DataDir);
    }

    /// <summary>Loads and fully validates the checkpoint; on failure writes the reason and returns null.</summary>
    public (string Path, GptConfig Config, float[] Parameters)? Load(ParseResult parse)
    {
        var path = parse.GetValue(Checkpoint);
        if (path is null)
        {
            var data = DataDirectory.At(parse.GetValue(DataDir));
            path = FinalCheckpoint.Latest(data);
            if (path is null)
            {
                Console.Error.WriteLine($"error: no GPT checkpoint under {data.Checkpoints}; run a GPT model first (fed demo) or pass --checkpoint");
                return null;
            }
        }
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: checkpoint {path} does not exist");
            return null;
        }
        try
        {
            var (config, parameters) = GptCheckpoint.Load(path);
            return (path, config, parameters);
        }
        catch (Exception e) when (e is CheckpointException or Engine.ModelConfigException or IOException)
        {
            Console.Error.WriteLine(e.Message.Contains(path, StringComparison.Ordinal) ? $"error: {e.Message}" : $"error: {path}: {e.Message}");
            return null;
        }
    }
}
