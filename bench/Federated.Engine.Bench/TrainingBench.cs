using System.Diagnostics;
using Federated.Engine.Gpt;
using Federated.Engine.Numerics;

namespace Federated.Engine.Bench;

/// <summary>Our side: the same work as tools/gpt_bench.py (fwd + bwd + clip + AdamW on one fixed random batch).</summary>
public static class TrainingBench
{
    public static BenchResult Run(BenchOptions o)
    {
        var config = BenchOptions.Model(o.ModelName);
        var layout = new GptParameterLayout(config);
        var trainer = new GptTrainer(config, GptInitializer.Initialize(layout, 1), new AdamWOptions(), o.Threads);
        var rng = new SeededRandom(2);
        var data = Enumerable.Range(0, o.Batch * (config.Context + 1)).Select(_ => rng.NextInt(config.Vocab)).ToArray();
        var batch = TokenBatch.Sample(data, o.Batch, config.Context, rng);
        // enough warm-up steps for tiered JIT to reach its optimised code in every op
        for (int i = 0; i < 10; i++) trainer.Step([batch], 1e-4f);
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < o.Steps; i++) trainer.Step([batch], 1e-4f);
        double seconds = sw.Elapsed.TotalSeconds;
        self.Refresh();
        double cores = (self.TotalProcessorTime - cpu0).TotalSeconds / seconds;
        return new BenchResult(o.Steps * (double)o.Batch * config.Context / seconds, self.PeakWorkingSet64 / (1024.0 * 1024), cores);
    }

    /// <summary>Training FLOPs per token: 6 per matmul weight (fwd 2, bwd 4) incl. the tied head, plus causal
    /// attention's QKᵀ and AV (on average T/2 keys: 2·T·C per layer forward, twice that backward).</summary>
    public static double FlopsPerToken(GptConfig c)
    {
        double matmulWeights = c.Layers * 12.0 * c.Width * c.Width + (double)c.Vocab * c.Width;
        double attention = c.Layers * 6.0 * c.Context * c.Width;
        return 6 * matmulWeights + attention;
    }
}
