using System.Diagnostics;
using System.Text.Json;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;

namespace Federated.Engine.Bench;

/// <summary>
/// `converge --model gpt-nano --steps 300 --batch 16 --threads 2 [--chunk 50] [--eval-tokens 32768]`: ours and
/// PyTorch (tools/gpt_convergence.py) train on tinyshakespeare (90/10 split) from the same initial weights with
/// the same recipe (see DemoTraining: constant rate, a fresh AdamW every `chunk` steps, the way each federated
/// round starts one) and the held-out losses are printed side by side, with the final ratio. Batches are drawn
/// by each side's own generator, so the curves agree statistically, not bit for bit.
/// The issue's check: `converge --model shakespeare-char --steps 2000 --batch 12 --threads 2 --lr 1e-3 --chunk 2000 --eval-tokens 120000`.
/// </summary>
public static class Convergence
{
    public static void Run(BenchOptions o, float learningRate, int chunk, int evalTokens)
    {
        var config = BenchOptions.Model(o.ModelName);
        var model = new GptModel(config);
        string data = Path.GetFullPath(Path.Combine(BenchOptions.RepoRoot(), "..", "shared", "data", "tinyshakespeare.txt"));
        var w = model.Initialize(1);
        string init = Path.Combine(Path.GetTempPath(), $"gpt-converge-{Environment.ProcessId}.safetensors");
        GptCheckpoint.Save(init, config, w);
        try
        {
            var clock = Stopwatch.StartNew();
            var torch = TorchCurve(init, data, o, learningRate, chunk, evalTokens);
            var torchSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var ours = OurCurve(model, w, data, o, learningRate, chunk, evalTokens);
            var ourSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{config}, batch {o.Batch}, lr {learningRate}, {o.Steps} steps, fresh AdamW every {chunk} steps, held-out loss on {evalTokens} tokens");
            Console.WriteLine($"{"step",6}{"ours held-out",15}{"torch held-out",16}{"diff",9}");
            foreach (var (step, loss) in ours)
            {
                float t = torch.GetValueOrDefault(step, float.NaN);
                Console.WriteLine($"{step,6}{loss,15:F3}{t,16:F3}{loss - t,9:F3}");
            }
            var (lastStep, lastOurs) = ours.Last();
            float lastTorch = torch.GetValueOrDefault(lastStep, float.NaN);
            Console.WriteLine($"final held-out loss: ours {lastOurs:F4}, PyTorch {lastTorch:F4}, ours/PyTorch {lastOurs / lastTorch:F4} " +
                $"({(lastOurs / lastTorch - 1) * 100:+0.00;-0.00}%); wall time ours {ourSeconds:F0}s, PyTorch {torchSeconds:F0}s");
        }
        finally { File.Delete(init); }
    }

    private static SortedDictionary<int, float> OurCurve(GptModel model, float[] w, string dataPath, BenchOptions o, float lr, int chunk, int evalTokens)
    {
        var bytes = File.ReadAllBytes(dataPath).Select(b => (int)b).ToArray();
        int split = bytes.Length * 9 / 10;
        var curve = new SortedDictionary<int, float>();
        for (int done = 0; done < o.Steps; done += chunk)
        {
            int steps = Math.Min(chunk, o.Steps - done);
            var r = model.Train(w, bytes.AsSpan(0, split), new TrainOptions(steps, o.Batch, lr, (ulong)done + 1) { Threads = o.Threads });
            for (int i = 0; i < w.Length; i++) w[i] += r.Update[i];
            curve[done + steps] = model.Evaluate(w, bytes.AsSpan(split), new EvaluateOptions(evalTokens) { Threads = o.Threads });
        }
        return curve;
    }

    private static SortedDictionary<int, float> TorchCurve(string init, string data, BenchOptions o, float lr, int chunk, int evalTokens)
    {
        string script = Path.Combine(BenchOptions.RepoRoot(), "tools", "gpt_convergence.py");
        var psi = new ProcessStartInfo("/usr/bin/python3",
            $"\"{script}\" --weights \"{init}\" --data \"{data}\" --steps {o.Steps} --chunk {chunk} --eval-tokens {evalTokens} --batch {o.Batch} --lr {lr.ToString(System.Globalization.CultureInfo.InvariantCulture)} --threads {o.Threads}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var curve = new SortedDictionary<int, float>();
        while (p.StandardOutput.ReadLine() is { } line)
        {
            var json = JsonDocument.Parse(line).RootElement;
            curve[json.GetProperty("step").GetInt32()] = json.GetProperty("heldout").GetSingle();
        }
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({p.ExitCode}): {err}");
        return curve;
    }
}
