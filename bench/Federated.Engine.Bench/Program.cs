using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Federated.Engine.Bench;

// Engine benchmark: ours vs PyTorch, side by side in one run (never a timed test). See docs/engine.md.
//   dotnet run -c Release --project bench/Federated.Engine.Bench -- [--steps 10 --repeat 2]    full table
//   ... -- --case gpt-tiny:16:1          one case
//   ... -- ours --model gpt-tiny --batch 16 --threads 1      our side only (JSON)
//   ... -- profile --model gpt-small --batch 8               time per op
//   ... -- peak                                              FMA peak and one GEMM
//   ... -- train --model gpt-nano --steps 300 --batch 16 --threads 2 --lr 3e-3     demo recipe on tinyshakespeare
//   ... -- converge --model gpt-nano --steps 300 --batch 16 --threads 2 --lr 3e-3  same, ours vs PyTorch
//   ... -- converge --model shakespeare-char --steps 2000 --batch 12 --threads 2 --lr 1e-3 --chunk 2000 --eval-tokens 120000
//                                                    the issue's convergence check (one AdamW run, whole held-out split)
var opts = BenchOptions.Parse(args);
if (opts.Mode == "profile") { OpProfile.Run(opts); return 0; }
float lr = float.Parse(args.SkipWhile(a => a != "--lr").Skip(1).FirstOrDefault() ?? "3e-3", CultureInfo.InvariantCulture);
if (opts.Mode == "train") { DemoTraining.Run(opts, lr); return 0; }
if (opts.Mode == "converge")
{
    int chunk = int.Parse(args.SkipWhile(a => a != "--chunk").Skip(1).FirstOrDefault() ?? "50", CultureInfo.InvariantCulture);
    int evalTokens = int.Parse(args.SkipWhile(a => a != "--eval-tokens").Skip(1).FirstOrDefault() ?? "32768", CultureInfo.InvariantCulture);
    Convergence.Run(opts, lr, chunk, evalTokens);
    return 0;
}
if (opts.Mode == "peak")
{
    Console.WriteLine($"FMA peak (256, 512): {FmaPeak.MeasureGflopsPerCore()} GFLOP/s");
    Console.WriteLine($"GEMM 2048x384x128 (tiny qkv fwd): {FmaPeak.GemmGflops():F1} GFLOP/s");
    Console.WriteLine($"GEMM 2048x1152x384 (small qkv fwd): {FmaPeak.GemmGflops(2048, 1152, 384):F1} GFLOP/s");
    Console.WriteLine($"GEMM 2048x384x1536 (small fc-proj fwd / dinp): {FmaPeak.GemmGflops(2048, 384, 1536):F1} GFLOP/s");
    Console.WriteLine($"GEMM 1536x384x2048 transposed A (small fc dW): {FmaPeak.GemmGflops(1536, 384, 2048, true):F1} GFLOP/s");
    Console.WriteLine($"GEMM 60x64x128 (cache-resident: the kernel's ceiling): {FmaPeak.GemmGflops(60, 64, 128, reps: 2000):F1} GFLOP/s");
    return 0;
}
if (opts.Mode == "ours")
{
    Console.WriteLine(JsonSerializer.Serialize(TrainingBench.Run(opts)));
    return 0;
}

var (peak256, peak512) = FmaPeak.MeasureGflopsPerCore();
double peakGflops = Math.Max(peak256, peak512);
Console.WriteLine($"measured FMA peak per core: {peak256:F1} GFLOP/s (256-bit), {peak512:F1} GFLOP/s (512-bit); %peak uses {peakGflops:F1}");
Console.WriteLine($"{"case",-26}{"ours tok/s",12}{"torch tok/s",13}{"ratio",8}{"ours MB",10}{"torch MB",10}{"mem ratio",11}{"ours %peak",12}" +
    $"{"ours cores",12}{"torch cores",13}");
var cases = opts.Cases ?? [("gpt-tiny", 16, 1), ("gpt-tiny", 16, 2), ("gpt-small", 8, 1), ("gpt-small", 8, 2)];
foreach (var (model, batch, threads) in cases)
{
    ArgumentOutOfRangeException.ThrowIfLessThan(opts.Repeat, 1);
    var config = BenchOptions.Model(model);
    // alternate the two sides and keep each one's best run: on a shared machine the best run is the one
    // least disturbed by other processes
    BenchResult? ours = null, torch = null;
    for (int r = 0; r < opts.Repeat; r++)
    {
        var o = Child("dotnet", $"\"{typeof(BenchOptions).Assembly.Location}\" ours --model {model} --batch {batch} --threads {threads} --steps {opts.Steps}", threads);
        var p = Child("/usr/bin/python3", $"\"{Path.Combine(BenchOptions.RepoRoot(), "tools", "gpt_bench.py")}\" --layers {config.Layers} --heads {config.Heads} " +
            $"--width {config.Width} --context {config.Context} --vocab {config.Vocab} --batch {batch} --threads {threads} --steps {opts.Steps}", threads);
        if (ours is null || o.TokensPerS > ours.TokensPerS) ours = o;
        if (torch is null || p.TokensPerS > torch.TokensPerS) torch = p;
    }
    if (ours is null || torch is null) continue;
    double flopsPerToken = TrainingBench.FlopsPerToken(config);
    double pct = 100 * ours.TokensPerS * flopsPerToken / (peakGflops * 1e9 * threads);
    Console.WriteLine($"{$"{model} B{batch} {threads}t",-26}{ours.TokensPerS,12:F0}{torch.TokensPerS,13:F0}{ours.TokensPerS / torch.TokensPerS,8:F2}" +
        $"{ours.PeakRssMb,10:F0}{torch.PeakRssMb,10:F0}{torch.PeakRssMb / ours.PeakRssMb,11:F2}{pct,11:F1}%" +
        $"{ours.CoresUsed,12:F2}{torch.CoresUsed,13:F2}");
}
return 0;

// Each side runs with its thread count in the environment too: torch.set_num_threads does not reach the
// pthread build of OpenBLAS that Debian's PyTorch calls for its GEMMs, which otherwise starts one thread per
// core (measured: a "1 thread" PyTorch run used 1.6 cores of 2). The cores columns are each side's CPU time
// over its timed steps divided by their wall time, so a run that used more cores than asked for shows.
static BenchResult Child(string exe, string arguments, int threads)
{
    var psi = new ProcessStartInfo(exe, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var name in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
        psi.Environment[name] = threads.ToString(CultureInfo.InvariantCulture);
    using var p = Process.Start(psi)!;
    string stdout = p.StandardOutput.ReadToEnd();
    string stderr = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {arguments} failed ({p.ExitCode}): {stderr}");
    var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
    return new BenchResult(json.GetProperty("tokens_per_s").GetDouble(), json.GetProperty("peak_rss_mb").GetDouble(),
        json.GetProperty("cores_used").GetDouble());
}

namespace Federated.Engine.Bench
{
    public sealed record BenchResult(
        [property: System.Text.Json.Serialization.JsonPropertyName("tokens_per_s")] double TokensPerS,
        [property: System.Text.Json.Serialization.JsonPropertyName("peak_rss_mb")] double PeakRssMb,
        [property: System.Text.Json.Serialization.JsonPropertyName("cores_used")] double CoresUsed);
}
