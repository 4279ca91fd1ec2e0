using System.Diagnostics;
using System.Text.Json;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt;

namespace Federated.Engine.Bench;

/// <summary>
/// `converge --model gpt-nano --steps 300 --batch 16 --threads 2`: ours and PyTorch (tools/gpt_convergence.py)
/// train on tinyshakespeare from the same initial weights with the same recipe (see DemoTraining) and the
/// held-out losses are printed side by side. Batches are drawn by each side's own generator, so the curves
/// agree statistically, not bit for bit.
/// </summary>
public static class Convergence
{
    public const int Chunk = 50;

    public static void Run(BenchOptions o, float learningRate)
    {
        var config = BenchOptions.Model(o.ModelName);
        var model = new GptModel(config);
        string data = Path.GetFullPath(Path.Combine(BenchOptions.RepoRoot(), "..", "shared", "data", "tinyshakespeare.txt"));
        var w = model.Initialize(1);
        string init = Path.Combine(Path.GetTempPath(), $"gpt-converge-{Environment.ProcessId}.safetensors");
        GptCheckpoint.Save(init, config, w);
        try
        {
            var torch = TorchCurve(init, data, o, learningRate);
            var ours = OurCurve(model, w, data, o, learningRate);
            Console.WriteLine($"{config}, batch {o.Batch}, lr {learningRate}, fresh AdamW every {Chunk} steps");
            Console.WriteLine($"{"step",6}{"ours held-out",15}{"torch held-out",16}{"diff",9}");
            foreach (var (step, loss) in ours)
            {
                float t = torch.GetValueOrDefault(step, float.NaN);
                Console.WriteLine($"{step,6}{loss,15:F3}{t,16:F3}{loss - t,9:F3}");
            }
        }
        finally { File.Delete(init); }
    }

    private static SortedDictionary<int, float> OurCurve(GptModel model, float[] w, string dataPath, BenchOptions o, float lr)
    {
        var bytes = File.ReadAllBytes(dataPath).Select(b => (int)b).ToArray();
        int split = bytes.Length * 9 / 10;
        var curve = new SortedDictionary<int, float>();
        for (int done = 0; done < o.Steps; done += Chunk)
        {
            int steps = Math.Min(Chunk, o.Steps - done);
            var r = model.Train(w, bytes.AsSpan(0, split), new TrainOptions(steps, o.Batch, lr, (ulong)done + 1) { Threads = o.Threads });
            for (int i = 0; i < w.Length; i++) w[i] += r.Update[i];
            curve[done + steps] = model.Evaluate(w, bytes.AsSpan(split), new EvaluateOptions(32_768) { Threads = o.Threads });
        }
        return curve;
    }

    private static SortedDictionary<int, float> TorchCurve(string init, string data, BenchOptions o, float lr)
    {
        string script = Path.Combine(BenchOptions.RepoRoot(), "tools", "gpt_convergence.py");
        var psi = new ProcessStartInfo("/usr/bin/python3",
            $"\"{script}\" --weights \"{init}\" --data \"{data}\" --steps {o.Steps} --chunk {Chunk} --batch {o.Batch} --lr {lr.ToString(System.Globalization.CultureInfo.InvariantCulture)} --threads {o.Threads}")
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
