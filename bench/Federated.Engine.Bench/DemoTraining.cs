using System.Diagnostics;
using Federated.Engine.Gpt;

namespace Federated.Engine.Bench;

/// <summary>`train --model gpt-nano --steps 300 --batch 16 --threads 2`: trains through the ILanguageModel seam on
/// tinyshakespeare (bytes; last 10% held out) and prints the held-out loss, as the demo would see it.</summary>
public static class DemoTraining
{
    public static void Run(BenchOptions o, float learningRate)
    {
        var config = BenchOptions.Model(o.ModelName);
        var model = new GptModel(config);
        string path = Path.Combine(BenchOptions.RepoRoot(), "..", "shared", "data", "tinyshakespeare.txt");
        var bytes = File.ReadAllBytes(path).Select(b => (int)b).ToArray();
        int split = bytes.Length * 9 / 10;
        var train = bytes[..split];
        var valid = bytes[split..];
        var w = model.Initialize(1);
        var eval = new EvaluateOptions(32_768) { Threads = o.Threads };
        Console.WriteLine($"{config}: {model.ParameterCount} parameters; held-out loss at init {model.Evaluate(w, valid, eval):F3}");
        var sw = Stopwatch.StartNew();
        int chunk = 50;
        for (int done = 0; done < o.Steps; done += chunk)
        {
            int steps = Math.Min(chunk, o.Steps - done);
            var r = model.Train(w, train, new TrainOptions(steps, o.Batch, learningRate, (ulong)done + 1) { Threads = o.Threads });
            for (int i = 0; i < w.Length; i++) w[i] += r.Update[i];
            Console.WriteLine($"step {done + steps,5}  train {r.FinalLoss:F3}  held-out {model.Evaluate(w, valid, eval):F3}  {sw.Elapsed.TotalSeconds,6:F1}s");
        }
        Console.WriteLine(string.Concat(GptSampler.Generate(config, w, "ROMEO:"u8.ToArray().Select(b => (int)b).ToArray(),
            new SamplingOptions(120, 0.8f, 20, 7)).Select(t => (char)t)));
    }
}
