using Federated.Engine.Parameters;

namespace Federated.Engine.ByteMlp;

/// <summary>Checks on what a caller hands the model, each failing with a message that names the bad value.</summary>
internal static class ByteMlpInputs
{
    public static void CheckWeights(ReadOnlySpan<float> weights, int count, string name)
    {
        if (weights.Length != count)
            throw new ArgumentException($"{weights.Length} weights given; this model has {count} parameters", name);
        int bad = FlatOps.IndexOfNonFinite(weights);
        if (bad >= 0)
            throw new ArgumentException($"weight at index {bad} is {weights[bad]}; weights must be finite", name);
    }

    /// <summary>Every token a byte id, and at least one full window: <paramref name="context"/> inputs plus a target.</summary>
    public static void CheckTokens(ReadOnlySpan<int> tokens, int context, string name)
    {
        if (tokens.Length < context + 1)
            throw new ArgumentException(
                $"{tokens.Length} tokens is too short: with context {context} a shard needs at least {context + 1} tokens (context plus one target)", name);
        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= ByteMlpLayout.Vocab)
                throw new ArgumentException($"token at index {i} is {tokens[i]}; byte tokens must be in [0, 256)", name);
        }
    }

    public static void CheckTrainOptions(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Steps must be at least 1");
        if (options.BatchSize < 1 || options.BatchSize > ByteMlpTrainer.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"BatchSize must be between 1 and {ByteMlpTrainer.MaxBatchSize}");
        if (!float.IsFinite(options.LearningRate) || options.LearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "LearningRate must be finite and not negative");
        if (!float.IsFinite(options.WeightDecay) || options.WeightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.WeightDecay, "WeightDecay must be finite and not negative");
        if (!float.IsFinite(options.GradClip) || options.GradClip < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.GradClip, "GradClip must be finite and not negative (0 turns clipping off)");
        if (options.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "Threads must be at least 1");
    }
}
