using Federated.Blobs;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;
using Federated.Engine.Parameters;

namespace Federated.Cli.Embedded;

/// <summary>
/// Copies a run's final model out of the blob store under a readable name: `final.fedp` (the flat
/// parameter blob, for any family) and, for GPT runs, `final.safetensors` with PyTorch tensor names,
/// which `fed export` and `fed generate` read.
/// </summary>
public static class FinalCheckpoint
{
    public const string FileName = "final.safetensors";

    public static async Task<string> WriteAsync(IBlobStore blobs, DataDirectory data, string runId, ModelSpec model, string modelHash, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(data.Checkpoints, runId);
        Directory.CreateDirectory(dir);
        var bytes = await blobs.GetAsync(BlobHash.Parse(modelHash), cancellationToken);
        var flat = Path.Combine(dir, "final.fedp");
        await File.WriteAllBytesAsync(flat, bytes, cancellationToken);
        if (SpecModels.Create(model) is not GptModel gpt) return flat;

        var path = Path.Combine(dir, FileName);
        GptCheckpoint.Save(path, gpt.Config, ParameterCodec.Decode(bytes, gpt.ParameterCount));
        return path;
    }

    /// <summary>The newest `final.safetensors` under the data directory's checkpoints, or null when there is none.</summary>
    public static string? Latest(DataDirectory data) =>
        Directory.Exists(data.Checkpoints)
            ? Directory.EnumerateFiles(data.Checkpoints, FileName, SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
}
