namespace Federated.Engine.ByteMlp;

/// <summary>
/// A Bengio-style byte-level language model: the embeddings of the previous <c>context</c> bytes,
/// concatenated, feed a tanh hidden layer and a softmax over the 256 byte values. Small and fast enough to
/// train on a CPU inside a federated round, and fully deterministic: every operation has a fixed order and
/// uses only correctly rounded arithmetic (see <see cref="PortableMath"/> and <see cref="FixedOrderDot"/>), so
/// the same weights, tokens and options give the same bytes on every machine.
/// <para>
/// Training runs on one thread; <see cref="TrainOptions.Threads"/> and <see cref="EvaluateOptions.Threads"/>
/// are validated but do not change the work (or the result).
/// </para>
/// </summary>
public sealed class ByteMlpModel : ILanguageModel
{
    public const string Family = "bytemlp";

    /// <summary>Windows evaluated per forward pass; bounds Evaluate's memory, not its result.</summary>
    private const int EvaluateChunk = 256;

    public ByteMlpModel(ByteMlpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Layout = new ByteMlpLayout(settings);
    }

    /// <exception cref="ModelConfigException">The family is not "bytemlp", a setting is unknown or out of range.</exception>
    public static ByteMlpModel FromConfig(ModelConfig config) => new(ByteMlpSettings.FromConfig(config));

    public ByteMlpSettings Settings { get; }

    public ByteMlpLayout Layout { get; }

    public int VocabSize => ByteMlpLayout.Vocab;

    public int ParameterCount => Layout.Count;

    /// <summary>e.g. "bytemlp(context=8,embed=16,hidden=128)".</summary>
    public string Describe() => Settings.ToString();

    /// <summary>
    /// Uniform initialisation from xoshiro256** (uniform rather than Gaussian: a normal sampler needs log and
    /// cos, which are not bit-portable). Embeddings have unit variance; w1 has variance 1/(C*E) so the hidden
    /// pre-activations start near unit scale; w2 is small (std 0.02) so the first predictions are near
    /// uniform and the initial loss is close to ln 256 = 5.55. Biases start at zero.
    /// </summary>
    public float[] Initialize(ulong seed)
    {
        var weights = new float[Layout.Count];
        var rng = new Xoshiro256(seed);
        FillUniform(Layout.Wte.Of(weights), 1.0, rng);
        FillUniform(Layout.W1.Of(weights), 1.0 / Math.Sqrt(Layout.Input), rng);
        FillUniform(Layout.W2.Of(weights), 0.02, rng);
        return weights;
    }

    /// <summary>
    /// Trains with AdamW at a constant learning rate for <see cref="TrainOptions.Steps"/> steps, each on
    /// <see cref="TrainOptions.BatchSize"/> windows drawn uniformly (with replacement) from
    /// <paramref name="tokens"/> by xoshiro256** seeded with <see cref="TrainOptions.Seed"/>.
    /// MeanLoss averages the batch losses before each step; FinalLoss is the last of them.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong weight count, a non-finite weight, a token outside [0, 256),
    /// fewer than context + 1 tokens, or an option out of range.</exception>
    public TrainResult Train(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, TrainOptions options, IProgress<TrainProgress>? progress = null) =>
        Train(weights, tokens, options, Span<float>.Empty, progress);

    /// <summary>As <see cref="Train(ReadOnlySpan{float}, ReadOnlySpan{int}, TrainOptions, IProgress{TrainProgress}?)"/>,
    /// also writing the trained weights, which equal <c>weights + Update</c> exactly, into
    /// <paramref name="trainedWeights"/> (ParameterCount long, or empty).</summary>
    public TrainResult Train(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, TrainOptions options, Span<float> trainedWeights,
        IProgress<TrainProgress>? progress = null)
    {
        ByteMlpInputs.CheckTrainOptions(options);
        ByteMlpInputs.CheckWeights(weights, ParameterCount, nameof(weights));
        ByteMlpInputs.CheckTokens(tokens, Settings.Context, nameof(tokens));
        if (!trainedWeights.IsEmpty && trainedWeights.Length != ParameterCount)
            throw new ArgumentException($"{trainedWeights.Length} floats given; trained weights need {ParameterCount}", nameof(trainedWeights));
        return ByteMlpTrainer.Train(Layout, weights, tokens, options, trainedWeights, progress);
    }

    /// <summary>One target token per window: a step of B windows trains on B tokens, whatever the context.</summary>
    public long TrainTokens(int steps, int batchSize, int shardTokens) => (long)steps * batchSize;

    /// <summary>
    /// Mean cross-entropy (nats) of predicting tokens[t] from tokens[t-context .. t) for t = context, context+1, ...:
    /// the first <c>context</c> tokens are only ever inputs (no padding). <see cref="EvaluateOptions.MaxTokens"/>
    /// caps the number of targets, taking the first ones.
    /// </summary>
    public float Evaluate(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, EvaluateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens, "MaxTokens must not be negative (0 means all)");
        if (options.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "Threads must be at least 1");
        ByteMlpInputs.CheckWeights(weights, ParameterCount, nameof(weights));
        ByteMlpInputs.CheckTokens(tokens, Settings.Context, nameof(tokens));

        int context = Settings.Context;
        int targets = tokens.Length - context;
        if (options.MaxTokens > 0) targets = Math.Min(targets, options.MaxTokens);
        int chunk = Math.Min(EvaluateChunk, targets);
        var pass = new ByteMlpPass(Layout, chunk);
        var contexts = new int[chunk * context]; // (B, C)
        var next = new int[chunk];               // (B)
        double sum = 0;
        for (var first = 0; first < targets; first += chunk)
        {
            int batch = Math.Min(chunk, targets - first);
            for (var b = 0; b < batch; b++)
            {
                int s = first + b;
                tokens.Slice(s, context).CopyTo(contexts.AsSpan(b * context, context));
                next[b] = tokens[s + context];
            }
            pass.Forward(weights, contexts, next, batch);
            foreach (var loss in pass.Losses[..batch]) sum += loss;
        }
        return (float)(sum / targets);
    }

    private static void FillUniform(Span<float> values, double std, Xoshiro256 rng)
    {
        // U(-a, a) has variance a²/3.
        float a = (float)(std * Math.Sqrt(3.0));
        for (var i = 0; i < values.Length; i++)
            values[i] = (2f * rng.NextFloat() - 1f) * a;
    }
}
