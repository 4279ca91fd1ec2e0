using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt;

/// <summary>
/// The GPT family behind the trainer seam. Train runs AdamW (betas 0.9/0.95, clipping at
/// <see cref="TrainOptions.GradClip"/>) at a constant <see cref="TrainOptions.LearningRate"/> with a fresh
/// optimizer state per call, because each federated round starts from newly averaged weights.
/// </summary>
public sealed class GptModel : ILanguageModel
{
    public const string Family = "gpt";

    public GptModel(GptConfig config)
    {
        config.Validate();
        Config = config;
        Layout = new GptParameterLayout(config);
    }

    public GptConfig Config { get; }
    public GptParameterLayout Layout { get; }
    public int VocabSize => Config.Vocab;
    public int ParameterCount => Layout.Count;

    public static GptModel FromConfig(ModelConfig config) => new(GptConfig.FromModelConfig(config));

    public string Describe() => Config.ToString();

    public float[] Initialize(ulong seed) => GptInitializer.Initialize(Layout, seed);

    public TrainResult Train(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, TrainOptions options, IProgress<TrainProgress>? progress = null)
    {
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Steps must be at least 1");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
        if (!float.IsFinite(options.LearningRate) || options.LearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "LearningRate must be finite and not negative");
        if (!float.IsFinite(options.WeightDecay) || options.WeightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.WeightDecay, "WeightDecay must be finite and not negative");
        if (!float.IsFinite(options.GradClip) || options.GradClip < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.GradClip, "GradClip must be finite and not negative (0 turns clipping off)");
        var start = CheckedWeights(weights);
        int t = WindowLength(tokens.Length);
        CheckTokens(tokens);
        var trainer = new GptTrainer(Config, (float[])start.Clone(), new AdamWOptions(WeightDecay: options.WeightDecay), Math.Max(1, options.Threads))
        {
            GradClip = options.GradClip,
        };
        var rng = new SeededRandom(options.Seed);
        double lossSum = 0;
        float last = float.NaN;
        for (int s = 0; s < options.Steps; s++)
        {
            var batch = TokenBatch.Sample(tokens, options.BatchSize, t, rng);
            last = trainer.Step([batch], options.LearningRate).Loss;
            lossSum += last;
            progress?.Report(new TrainProgress(s + 1, options.Steps, last));
        }
        var update = new float[start.Length];
        System.Numerics.Tensors.TensorPrimitives.Subtract(trainer.Parameters, start, update);
        return new TrainResult(update, (long)options.Steps * options.BatchSize * t, (float)(lossSum / options.Steps), last);
    }

    public float Evaluate(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, EvaluateOptions options)
    {
        var p = CheckedWeights(weights);
        CheckTokens(tokens);
        int t = WindowLength(tokens.Length);
        var net = new GptNetwork(Config) { Threads = Math.Max(1, options.Threads) };
        long budget = options.MaxTokens > 0 ? options.MaxTokens : long.MaxValue;
        double sum = 0;
        long counted = 0;
        // consecutive windows of T targets; the tail shorter than a window is scored as its own sequence
        for (int pos = 0; pos + 1 < tokens.Length && counted < budget; pos += t)
        {
            int len = (int)Math.Min(Math.Min(t, tokens.Length - 1 - pos), budget - counted);
            var inputs = tokens.Slice(pos, len).ToArray();
            var targets = tokens.Slice(pos + 1, len).ToArray();
            sum += (double)net.Forward(p, inputs, targets, 1, len) * len;
            counted += len;
        }
        return (float)(sum / counted);
    }

    /// <summary>Every position of each of the B sequences of T = min(context, shard - 1) tokens is a target.</summary>
    public long TrainTokens(int steps, int batchSize, int shardTokens) => (long)steps * batchSize * Math.Min(Config.Context, Math.Max(1, shardTokens - 1));

    private int WindowLength(int shardLength)
    {
        if (shardLength < 2) throw new ArgumentException($"need at least 2 tokens, got {shardLength}", "tokens");
        return Math.Min(Config.Context, shardLength - 1);
    }

    private void CheckTokens(ReadOnlySpan<int> tokens)
    {
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)Config.Vocab)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"token id {tokens[i]} at position {i} is outside the vocabulary [0, {Config.Vocab})");
    }

    private float[] CheckedWeights(ReadOnlySpan<float> weights)
    {
        if (weights.Length != Layout.Count)
            throw new ArgumentException($"expected {Layout.Count} weights for {Config}, got {weights.Length}", nameof(weights));
        var copy = weights.ToArray();
        Layout.ThrowIfNotFinite(copy);
        return copy;
    }
}
