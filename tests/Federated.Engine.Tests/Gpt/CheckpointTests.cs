using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;

namespace Federated.Engine.Tests.Gpt;

public sealed class CheckpointTests : IDisposable
{
    private static readonly GptConfig Config = new(256, 16, 2, 2, 32);
    private readonly string _dir = Directory.CreateTempSubdirectory("gptckpt").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SavedCheckpoint(out float[] weights)
    {
        weights = GptInitializer.Initialize(new GptParameterLayout(Config), 3);
        string path = Path.Combine(_dir, "model.safetensors");
        GptCheckpoint.Save(path, Config, weights);
        return path;
    }

    private string Rewritten(string path, Func<string, string> editHeader)
    {
        var file = SafetensorsFile.Read(path);
        var tensors = file.Entries.Values.OrderBy(e => e.Begin).Select(e => (e.Name, e.Dtype, e.Shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(file.ReadFloat32(e.Name).AsSpan()).ToArray())).ToList();
        string other = Path.Combine(_dir, "edited.safetensors");
        SafetensorsFile.Write(other, tensors.Select(t => (editHeader(t.Name), t.Dtype, t.Shape, t.Item4)), file.Metadata);
        return other;
    }

    [Fact]
    public void Save_then_load_restores_config_and_bits()
    {
        string path = SavedCheckpoint(out var weights);
        var (config, loaded) = GptCheckpoint.Load(path);
        Assert.Equal(Config, config);
        Assert.Equal(weights, loaded);
    }

    [Fact]
    public void A_truncated_file_names_the_tensor_that_is_cut()
    {
        string path = SavedCheckpoint(out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("'ln_f.bias'", e.Message);
    }

    [Fact]
    public void A_file_shorter_than_its_header_is_refused()
    {
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_checkpoint_for_another_shape_names_the_tensor()
    {
        string path = SavedCheckpoint(out _);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path, Config with { Context = 32 }));
        Assert.Contains("'wpe.weight' has shape [16, 32], expected [32, 32]", e.Message);
    }

    [Fact]
    public void A_wrong_tensor_name_is_reported()
    {
        string path = Rewritten(SavedCheckpoint(out _), n => n == "h.1.mlp.c_fc.bias" ? "h.1.mlp.fc.bias" : n);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path, Config));
        Assert.Contains("missing tensor 'h.1.mlp.c_fc.bias'", e.Message);
    }

    [Fact]
    public void A_tensor_the_config_does_not_have_is_reported()
    {
        string path = SavedCheckpoint(out _);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path, Config with { Layers = 1 }));
        Assert.Contains("unexpected tensor 'h.1.attn.c_attn.bias'", e.Message);
    }

    [Fact]
    public void A_wrong_dtype_is_reported_with_the_tensor_name()
    {
        string path = SavedCheckpoint(out _);
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        // same-length edit: ln_f.bias F32 -> I32 (same element size, so only the dtype check can catch it)
        int at = text.IndexOf("\"ln_f.bias\":{\"dtype\":\"F32\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[text.IndexOf("F32", at, StringComparison.Ordinal)] = (byte)'I';
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path));
        Assert.Contains("tensor 'ln_f.bias' has dtype I32, expected F32", e.Message);
    }

    [Fact]
    public void NaN_in_a_tensor_is_reported_with_its_name()
    {
        var weights = GptInitializer.Initialize(new GptParameterLayout(Config), 3);
        weights[new GptParameterLayout(Config)["h.0.attn.c_proj.weight"].Offset + 5] = float.NaN;
        string path = Path.Combine(_dir, "nan.safetensors");
        GptCheckpoint.Save(path, Config, weights);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path));
        Assert.Contains("'h.0.attn.c_proj.weight' holds NaN at element 5", e.Message);
    }

    [Fact]
    public void A_size_that_disagrees_with_the_shape_is_refused()
    {
        string path = SavedCheckpoint(out _);
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        // same-length edit of wpe's shape: [16,32] -> [16,33] no longer matches its 2048 data bytes
        int at = text.IndexOf("\"wpe.weight\":{\"dtype\":\"F32\",\"shape\":[16,32]", StringComparison.Ordinal);
        Assert.True(at > 0);
        int digit = text.IndexOf("[16,32]", at, StringComparison.Ordinal) + 5;
        bytes[digit] = (byte)'3';
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => GptCheckpoint.Load(path));
        Assert.Contains("'wpe.weight'", e.Message);
        Assert.Contains("needs 2112 bytes", e.Message);
    }
}
