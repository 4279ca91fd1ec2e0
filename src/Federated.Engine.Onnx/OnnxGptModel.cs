using Federated.Engine.Gpt;
using Federated.Engine.Gpt.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Federated.Engine.Onnx;

/// <summary>
/// A GPT exported by <see cref="GptOnnxExporter"/>, run by ONNX Runtime: the contract is one input
/// "input_ids" int64 (batch, sequence) and an output "logits" float (batch, sequence, vocab), with the
/// config named in the graph description. <see cref="Open"/> checks all of it, and runs the graph once,
/// so a foreign or broken file is refused up front with the reason instead of failing mid-generation.
/// </summary>
public sealed class OnnxGptModel : IDisposable
{
    public const string InputName = "input_ids";
    public const string OutputName = "logits";

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    private OnnxGptModel(string path, InferenceSession session, GptConfig config)
    {
        Path = path;
        _session = session;
        Config = config;
    }

    public string Path { get; }

    /// <summary>The config the export names; its Vocab equals the logits' last dimension.</summary>
    public GptConfig Config { get; }

    /// <exception cref="OnnxModelException">The file is missing, not ONNX, or not an exported GPT.</exception>
    public static OnnxGptModel Open(string path)
    {
        if (!File.Exists(path)) throw new OnnxModelException($"{path} does not exist");
        // One intra-op thread: the same file, prompt and seed give the same text on every machine and run.
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"{path} is not a model ONNX Runtime can load: {e.Message}", e);
        }
        try
        {
            var config = CheckContract(path, session);
            var model = new OnnxGptModel(path, session, config);
            model.Probe();
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Logits (B,T,V) for <paramref name="ids"/> (B,T).</summary>
    public float[] Logits(ReadOnlySpan<int> ids, int batch, int length)
    {
        if (batch < 1 || length < 1 || length > Config.Context || ids.Length != batch * length)
            throw new ArgumentException($"need B*T ids with 1 <= T <= {Config.Context}, got {ids.Length} for B={batch} T={length}", nameof(ids));
        var input = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)Config.Vocab)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"token id {ids[i]} at position {i} is outside the vocabulary [0, {Config.Vocab})");
            input[i] = ids[i];
        }
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, length]);
        try
        {
            using var outputs = _session.Run(_run, [InputName], [value], [OutputName]);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape is not [var b, var t, var v] || b != batch || t != length || v != Config.Vocab)
                throw new OnnxModelException($"{Path}: output '{OutputName}' has shape [{string.Join(',', shape)}] for input [{batch},{length}], expected [{batch},{length},{Config.Vocab}]");
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"{Path}: ONNX Runtime failed to run the graph on [{batch},{length}] ids: {e.Message}", e);
        }
    }

    /// <summary>The <see cref="GptSampler"/> seam: the last position's logits for a window of at most context tokens.</summary>
    public void NextTokenLogits(int[] window, Span<float> logits) =>
        Logits(window, 1, window.Length).AsSpan((window.Length - 1) * Config.Vocab, Config.Vocab).CopyTo(logits);

    /// <summary>
    /// Mean next-token cross-entropy (nats) over <paramref name="tokens"/>, in the windows the engine's
    /// <see cref="GptModel.Evaluate"/> uses (consecutive windows of T = min(context, n - 1) targets, the
    /// shorter tail scored on its own), so the two agree on the same weights.
    /// </summary>
    /// <param name="maxTokens">Score at most this many target tokens (0 = all).</param>
    public float Evaluate(ReadOnlySpan<int> tokens, int maxTokens = 0)
    {
        if (tokens.Length < 2) throw new ArgumentException($"need at least 2 tokens, got {tokens.Length}", nameof(tokens));
        int window = Math.Min(Config.Context, tokens.Length - 1);
        long budget = maxTokens > 0 ? maxTokens : long.MaxValue;
        int vocab = Config.Vocab;
        double sum = 0;
        long counted = 0;
        for (int pos = 0; pos + 1 < tokens.Length && counted < budget; pos += window)
        {
            int len = (int)Math.Min(Math.Min(window, tokens.Length - 1 - pos), budget - counted);
            var logits = Logits(tokens.Slice(pos, len), 1, len);
            for (int i = 0; i < len; i++)
                sum += CrossEntropy(logits.AsSpan(i * vocab, vocab), tokens[pos + 1 + i]);
            counted += len;
        }
        return (float)(sum / counted);
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }

    // -log softmax(logits)[target], in double with the max subtracted so large logits do not overflow
    private static double CrossEntropy(ReadOnlySpan<float> logits, int target)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return max + Math.Log(sum) - logits[target];
    }

    private static GptConfig CheckContract(string path, InferenceSession session)
    {
        string Describe(IReadOnlyDictionary<string, NodeMetadata> values) => values.Count == 0 ? "none" :
            string.Join(", ", values.Select(kv => kv.Value.IsTensor
                ? $"'{kv.Key}' {kv.Value.ElementDataType} [{string.Join(',', kv.Value.Dimensions)}]"
                : $"'{kv.Key}' ({kv.Value.OnnxValueType})"));
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(InputName, out var input) || !input.IsTensor
            || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
            throw new OnnxModelException($"{path}: expected one input '{InputName}' Int64 (batch, sequence); the model's inputs are {Describe(inputs)}");
        if (!session.OutputMetadata.TryGetValue(OutputName, out var output) || !output.IsTensor
            || output.ElementDataType != TensorElementType.Float || output.Dimensions is not [_, _, > 0])
            throw new OnnxModelException($"{path}: expected an output '{OutputName}' Float (batch, sequence, vocab); the model's outputs are {Describe(session.OutputMetadata)}");
        var description = session.ModelMetadata.GraphDescription;
        var config = GptOnnxExporter.ConfigFromDescription(description)
            ?? throw new OnnxModelException($"{path}: the graph description does not name a GPT config (\"gpt(vocab=...,context=...)\"), "
                + $"so its context length is unknown; was it written by `fed export --onnx`? It says: \"{Shorten(description)}\"");
        try
        {
            config.Validate();
        }
        catch (ModelConfigException e)
        {
            throw new OnnxModelException($"{path}: the config in its description is invalid: {e.Message}", e);
        }
        if (config.Vocab != output.Dimensions[2])
            throw new OnnxModelException($"{path}: its description names vocab {config.Vocab} but '{OutputName}' has {output.Dimensions[2]} columns");
        return config;
    }

    // runs the graph once on the smallest input, so a graph that loads but cannot run is refused at Open
    private void Probe() => Logits([0], 1, 1);

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "...";
}
