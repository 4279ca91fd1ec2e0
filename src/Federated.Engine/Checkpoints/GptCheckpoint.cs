using System.Runtime.InteropServices;
using System.Text.Json;
using Federated.Engine.Gpt;

namespace Federated.Engine.Checkpoints;

/// <summary>
/// GPT weights as safetensors with PyTorch names (wte.weight, h.0.attn.c_attn.weight, ...; nn.Linear
/// layout (out, in); no lm_head.weight because the head is tied to wte.weight). The config travels in the
/// "__metadata__" entry "config", so a checkpoint is self-describing.
/// </summary>
public static class GptCheckpoint
{
    public static void Save(string path, GptConfig config, ReadOnlySpan<float> parameters)
    {
        var layout = new GptParameterLayout(config);
        if (parameters.Length != layout.Count)
            throw new ArgumentException($"expected {layout.Count} parameters for {config}, got {parameters.Length}", nameof(parameters));
        var tensors = new List<(string, string, long[], byte[])>();
        foreach (var t in layout.Tensors)
            tensors.Add((t.Name, "F32", t.Shape.Select(d => (long)d).ToArray(), MemoryMarshal.AsBytes(parameters.Slice(t.Offset, t.Length)).ToArray()));
        var meta = new Dictionary<string, string>
        {
            ["format"] = "federated-gpt",
            ["config"] = JsonSerializer.Serialize(new Dictionary<string, int>(config.ToModelConfig().Settings)),
            ["lm_head"] = "tied to wte.weight",
        };
        SafetensorsFile.Write(path, tensors, meta);
    }

    /// <summary>Reads the config from the file's metadata and the weights, fully validated.</summary>
    public static (GptConfig Config, float[] Parameters) Load(string path)
    {
        var file = SafetensorsFile.Read(path);
        if (!file.Metadata.TryGetValue("config", out var json))
            throw new CheckpointException($"{path}: no 'config' in the safetensors metadata; use Load(path, config)");
        Dictionary<string, int> settings;
        try { settings = JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new CheckpointException($"{path}: metadata 'config' is not a JSON object of integers ({e.Message})"); }
        var config = GptConfig.FromModelConfig(new ModelConfig("gpt", settings));
        return (config, ReadParameters(file, config, allowExtraTensors: false));
    }

    /// <summary>Loads weights for a known config; the file must hold exactly its tensors.</summary>
    public static float[] Load(string path, GptConfig config) => ReadParameters(SafetensorsFile.Read(path), config, allowExtraTensors: false);

    /// <summary>Copies every tensor of the layout out of <paramref name="file"/>, checking name, dtype, shape and finiteness.</summary>
    public static float[] ReadParameters(SafetensorsFile file, GptConfig config, bool allowExtraTensors)
    {
        var layout = new GptParameterLayout(config);
        var parameters = new float[layout.Count];
        foreach (var t in layout.Tensors)
        {
            if (!file.Entries.TryGetValue(t.Name, out var e))
                throw new CheckpointException($"missing tensor '{t.Name}' (expected F32 {t.ShapeText} for {config})");
            if (e.Dtype != "F32") throw new CheckpointException($"tensor '{t.Name}' has dtype {e.Dtype}, expected F32");
            if (!e.Shape.SequenceEqual(t.Shape.Select(d => (long)d)))
                throw new CheckpointException($"tensor '{t.Name}' has shape {e.ShapeText}, expected {t.ShapeText} for {config}");
            var data = file.ReadFloat32(t.Name);
            for (int i = 0; i < data.Length; i++)
                if (!float.IsFinite(data[i]))
                    throw new CheckpointException($"tensor '{t.Name}' holds {data[i]} at element {i}");
            data.CopyTo(parameters, t.Offset);
        }
        if (!allowExtraTensors)
        {
            var known = layout.Tensors.Select(t => t.Name).ToHashSet();
            var extra = file.Entries.Keys.Where(k => !known.Contains(k)).Order().FirstOrDefault();
            if (extra is not null) throw new CheckpointException($"unexpected tensor '{extra}' for {config}");
        }
        return parameters;
    }
}
