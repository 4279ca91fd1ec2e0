using System.Numerics.Tensors;
using Federated.Engine.Parameters;

namespace Federated.Engine.ByteMlp;

/// <summary>
/// The local training loop: sample windows, forward, backward, clip, AdamW, repeat.
/// <para>
/// The update (trained minus start) is the optimizer's state and the weights are recomputed as
/// start + update after every step. A coordinator that applies the update therefore reproduces the
/// worker's trained weights bit for bit; subtracting at the end instead would lose low bits whenever a
/// weight changes sign or magnitude.
/// </para>
/// <para>
/// The learning rate is constant. Each round restarts AdamW from zero moments, and its bias correction
/// already keeps the first steps measured; a warmup would spend most of a short round below the
/// requested rate.
/// </para>
/// </summary>
internal static class ByteMlpTrainer
{
    /// <summary>Bounds the activation buffers (a batch of windows is held at once).</summary>
    public const int MaxBatchSize = 65536;

    /// <param name="trained">(P) receives the trained weights, start + update; empty to skip.</param>
    public static TrainResult Train(ByteMlpLayout layout, ReadOnlySpan<float> start, ReadOnlySpan<int> tokens, TrainOptions options,
        Span<float> trained, IProgress<TrainProgress>? progress)
    {
        int count = layout.Count;
        int context = layout.Settings.Context;
        int batch = options.BatchSize;
        var update = new float[count];       // (P) trained - start
        var weights = start.ToArray();       // (P) start + update
        var grads = new float[count];        // (P)
        var contexts = new int[batch * context]; // (B, C)
        var targets = new int[batch];        // (B)
        var optimizer = new AdamW(layout.Slices, count);
        var pass = new ByteMlpPass(layout, batch);
        var rng = new Xoshiro256(options.Seed);
        int windows = tokens.Length - context; // window s reads tokens[s .. s+C) and predicts tokens[s+C]

        double lossSum = 0;
        float loss = 0;
        for (var step = 0; step < options.Steps; step++)
        {
            for (var b = 0; b < batch; b++)
            {
                int s = rng.NextInt(windows);
                tokens.Slice(s, context).CopyTo(contexts.AsSpan(b * context, context));
                targets[b] = tokens[s + context];
            }
            loss = (float)pass.Forward(weights, contexts, targets, batch);
            Array.Clear(grads);
            pass.Backward(grads, weights, contexts, targets, batch);
            ClipGlobalNorm(grads, options.GradClip);
            optimizer.Update(update, grads, weights, options.LearningRate, options.WeightDecay);
            TensorPrimitives.Add(start, update, weights);
            lossSum += loss;
            progress?.Report(new TrainProgress(step + 1, options.Steps, loss));
        }
        if (!trained.IsEmpty) weights.CopyTo(trained);
        return new TrainResult(update, (long)options.Steps * batch, (float)(lossSum / options.Steps), loss);
    }

    /// <summary>Scales the gradient down to norm <paramref name="maxNorm"/> when it is longer; 0 turns clipping off.</summary>
    public static void ClipGlobalNorm(Span<float> grads, float maxNorm)
    {
        if (maxNorm <= 0) return;
        double norm = FlatOps.L2Norm(grads);
        if (norm > maxNorm) FlatOps.Scale(grads, (float)(maxNorm / norm));
    }
}
