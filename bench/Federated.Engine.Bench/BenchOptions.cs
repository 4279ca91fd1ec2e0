using System.Text.Json;
using Federated.Engine.Gpt;

namespace Federated.Engine.Bench;

public sealed record BenchOptions(string Mode, string ModelName, int Batch, int Threads, int Steps, int Repeat, List<(string, int, int)>? Cases)
{
    public static BenchOptions Parse(string[] args)
    {
        string mode = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "compare";
        string Get(string key, string fallback)
        {
            int i = Array.IndexOf(args, "--" + key);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        List<(string, int, int)>? cases = null;
        if (Get("case", "") is { Length: > 0 } c)   // e.g. --case gpt-tiny:16:1
        {
            var parts = c.Split(':');
            cases = [(parts[0], int.Parse(parts[1]), int.Parse(parts[2]))];
        }
        return new BenchOptions(mode, Get("model", "gpt-tiny"), int.Parse(Get("batch", "16")), int.Parse(Get("threads", "1")),
            int.Parse(Get("steps", "20")), int.Parse(Get("repeat", "3")), cases);
    }

    /// <summary>Reads models/{name}.json from the repository.</summary>
    public static GptConfig Model(string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "models", name + ".json")));
        var settings = doc.RootElement.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return GptConfig.FromModelConfig(new ModelConfig("gpt", settings));
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Federated.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("run from inside the repository (Federated.sln not found above the binary)");
    }
}
