namespace Federated.Engine;

/// <summary>
/// The trainer seam between the federated layer and a model implementation. A model is a configuration
/// plus a flat float32 parameter vector; everything the coordinator and workers exchange is such a vector
/// (weights) or the difference of two (an update). Implementations are deterministic: the same weights,
/// tokens and options give the same bytes, whatever the thread count.
/// </summary>
public interface ILanguageModel
{
    /// <summary>Stable name of the model family and configuration, e.g. "gpt(vocab=256,context=64,layers=2,heads=2,width=64)".</summary>
    string Describe();

    int VocabSize { get; }

    /// <summary>Number of float32 parameters in the flat vector.</summary>
    int ParameterCount { get; }

    /// <summary>Fresh weights from a seeded initialiser.</summary>
    float[] Initialize(ulong seed);

    /// <summary>Trains from <paramref name="weights"/> on <paramref name="tokens"/> and returns the update
    /// (trained weights minus <paramref name="weights"/>) and the tokens processed.</summary>
    TrainResult Train(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, TrainOptions options, IProgress<TrainProgress>? progress = null);

    /// <summary>The <see cref="TrainResult.TokensProcessed"/> that <see cref="Train"/> reports for these steps and batch on a
    /// shard of <paramref name="shardTokens"/> tokens: the most a worker can honestly claim for such a task.</summary>
    long TrainTokens(int steps, int batchSize, int shardTokens);

    /// <summary>Mean next-token cross-entropy (nats) over <paramref name="tokens"/>, in consecutive windows.</summary>
    float Evaluate(ReadOnlySpan<float> weights, ReadOnlySpan<int> tokens, EvaluateOptions options);
}

/// <param name="Steps">Local optimizer steps.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Seed">Seeds batch sampling (and dropout, if any).</param>
public sealed record TrainOptions(int Steps, int BatchSize, float LearningRate, ulong Seed)
{
    public float WeightDecay { get; init; }
    public float GradClip { get; init; } = 1.0f;
    public int Threads { get; init; } = 1;
}

/// <param name="MaxTokens">Evaluate at most this many target tokens (0 = all).</param>
public sealed record EvaluateOptions(int MaxTokens = 0)
{
    public int Threads { get; init; } = 1;
}

/// <param name="Update">Trained weights minus the starting weights, same length as the parameter vector.</param>
/// <param name="TokensProcessed">Target tokens the loss was computed on, summed over steps.</param>
/// <param name="MeanLoss">Mean training loss over all steps.</param>
public sealed record TrainResult(float[] Update, long TokensProcessed, float MeanLoss, float FinalLoss);

public readonly record struct TrainProgress(int Step, int Steps, float Loss);
