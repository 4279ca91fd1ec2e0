using System.Globalization;
using Federated.Bench.Distributed;
using Federated.Cli.Embedded;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.EventStore.Sqlite;
using Federated.Testing;

// The cost of distribution: the same R-round, N-worker run (same spec, seed and compute: one training thread per
// worker) on the embedded deployment (one process, in-memory bus, SQLite) and on the distributed one (fed coordinator
// + N fed worker processes, a private RabbitMQ and PostgreSQL on 127.0.0.1). Both times are read from the run's own
// log (RunLaunched -> RunCompleted), so process start-up is not counted on either side.
// With --repeat N the two alternate N times on the same servers and processes, and each side keeps its fastest run
// (this machine is shared: identical runs differ by a third), as the engine bench does.
//   dotnet run -c Release --project bench/Federated.Bench.Distributed -- [--rounds 5] [--workers 2] [--steps 100] [--repeat 1]
var rounds = Option("--rounds", 5);
var workers = Option("--workers", 2);
var steps = Option("--steps", 100);
var repeat = Option("--repeat", 1);
var spec = new RunSpec
{
    Name = "bench-distributed",
    Seed = 5,
    Model = new ModelSpec("gpt", new Dictionary<string, int> { ["context"] = 8, ["layers"] = 1, ["heads"] = 2, ["width"] = 32 }),
    Dataset = new DatasetSpec("builtin", null, 0.1),
    Rounds = rounds,
    Workers = workers,
    ShardsPerRound = workers,
    ShardTokens = 32_768,
    LocalSteps = steps,
    BatchSize = 32,
    LearningRate = 3e-3f,
    EvalTokens = 16_384,
};
var root = Path.Combine(Path.GetTempPath(), $"fed-bench-dist-{Guid.NewGuid():N}"[..28]);
Directory.CreateDirectory(root);
try
{
    Console.Error.WriteLine("distributed: starting RabbitMQ and PostgreSQL");
    await using var broker = await RabbitMqServer.StartNewAsync("bench");
    await using var postgres = await LocalPostgresServer.StartNewAsync();
    var fed = Path.Combine(AppContext.BaseDirectory, "fed.dll");
    var blobUrl = $"http://127.0.0.1:{FreePort.Next()}";
    var brokerUri = broker.BrokerUri.ToString();
    var processes = new List<LocalProcess>();
    // The coordinator obeys one consortium admin, who signs the launch; each worker signs with its own key.
    var adminKey = System.Security.Cryptography.SHA256.HashData("bench-distributed/admin"u8);
    var adminAddress = Federated.Chain.Signing.EthSigner.AddressOf(adminKey).ToChecksumString();
    try
    {
        var coordinator = LocalProcess.Start("dotnet", [fed, "coordinator", "--broker", brokerUri, "--store", postgres.ConnectionString,
            "--blob-listen", blobUrl, "--data", Path.Combine(root, "coordinator"), "--admin", adminAddress], Path.Combine(root, "coordinator.log"));
        processes.Add(coordinator);
        await coordinator.WaitForOutputAsync("coordinator ready", TimeSpan.FromSeconds(90));
        for (var i = 1; i <= workers; i++)
        {
            var workerKey = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"bench-distributed/worker/{i}"));
            var worker = LocalProcess.Start("dotnet", [fed, "worker", "--broker", brokerUri, "--blob-url", blobUrl, "--id", $"w{i}", "--threads", "1"],
                Path.Combine(root, $"worker-{i}.log"), new Dictionary<string, string?> { ["FED_WORKER_KEY"] = Convert.ToHexString(workerKey) });
            processes.Add(worker);
            await worker.WaitForOutputAsync("ready", TimeSpan.FromSeconds(90));
        }
        var specPath = Path.Combine(root, "spec.json");
        await File.WriteAllTextAsync(specPath, RunSpecFile.ToJson(spec));
        var inv = CultureInfo.InvariantCulture;
        var embeddedRuns = new List<RunTiming>();
        var distributedRuns = new List<RunTiming>();
        for (var i = 1; i <= repeat; i++)
        {
            Console.Error.WriteLine($"[{i}/{repeat}] embedded: {rounds} rounds, {workers} workers, {steps} local steps");
            // One thread per worker on both sides: the embedded run gives each worker ProcessorCount / workers threads.
            var data = DataDirectory.At(Path.Combine(root, $"embedded-{i}"));
            var embedded = await EmbeddedRun.ExecuteAsync(spec, null, data, workers, null, TextWriter.Null, CancellationToken.None);
            using (var sqlite = new SqliteEventStore(data.EventsDb)) embeddedRuns.Add(await RunTiming.ReadAsync(sqlite, embedded.RunId));

            Console.Error.WriteLine($"[{i}/{repeat}] distributed: running");
            var launched = await LocalProcess.RunAsync("dotnet", [fed, "launch", specPath, "--broker", brokerUri, "--store", postgres.ConnectionString, "--wait", "--json"],
                new Dictionary<string, string?> { ["FED_ADMIN_KEY"] = Convert.ToHexString(adminKey) }, TimeSpan.FromMinutes(30));
            launched.EnsureSuccess();
            var runId = System.Text.Json.Nodes.JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!["runId"]!.GetValue<string>();
            await using (var pg = await PostgresEventStore.OpenAsync(postgres.ConnectionString)) distributedRuns.Add(await RunTiming.ReadAsync(pg, runId));
            Console.Error.WriteLine(string.Create(inv, $"[{i}/{repeat}] embedded {embeddedRuns[^1].Seconds:F2} s, distributed {distributedRuns[^1].Seconds:F2} s, ratio {distributedRuns[^1].Seconds / embeddedRuns[^1].Seconds:F2}"));
        }
        var inProcess = embeddedRuns.MinBy(r => r.Seconds)!;
        var distributed = distributedRuns.MinBy(r => r.Seconds)!;

        Console.WriteLine($"{rounds} rounds, {workers} workers x 1 thread, gpt context 8, 1 layer, 2 heads, width 32, {spec.ShardTokens} tokens per shard, {steps} local steps, {Environment.ProcessorCount} cores, fastest of {repeat}");
        if (repeat > 1)
            Console.WriteLine(string.Create(inv, $"ratio of each pair: {string.Join(", ", embeddedRuns.Zip(distributedRuns, (e, d) => (d.Seconds / e.Seconds).ToString("F2", inv)))}"));
        Console.WriteLine($"{"deployment",-34} {"run s",8} {"s/round",8} {"events",7}");
        Console.WriteLine(string.Create(inv, $"{"embedded (in-memory bus, SQLite)",-34} {inProcess.Seconds,8:F2} {inProcess.Seconds / rounds,8:F2} {inProcess.Events,7}"));
        Console.WriteLine(string.Create(inv, $"{"distributed (RabbitMQ, PostgreSQL)",-34} {distributed.Seconds,8:F2} {distributed.Seconds / rounds,8:F2} {distributed.Events,7}"));
        Console.WriteLine(string.Create(inv, $"overhead ratio (distributed / embedded): {distributed.Seconds / inProcess.Seconds:F2}"));
        Console.WriteLine("seconds per round, by phase: open->lease, lease->last accepted update (training, transfers), ->aggregated, ->next round");
        Console.WriteLine($"{"deployment",-34} {"lease",8} {"train",8} {"aggr.",8} {"next",8}");
        Console.WriteLine($"{"embedded",-34} {inProcess.Phases.PerRound(inv)}");
        Console.WriteLine($"{"distributed",-34} {distributed.Phases.PerRound(inv)}");
        var sameModel = embeddedRuns.Concat(distributedRuns).All(r => r.FinalModelHash == inProcess.FinalModelHash);
        Console.WriteLine($"same final model bytes in every run: {(sameModel ? "yes" : "NO")} ({inProcess.FinalModelHash[..16]}...)");
        // What the workers themselves measured around model.Train, from their logs ("trained shard ...: loss L, S s"), all runs.
        var trained = Directory.GetFiles(root, "worker-*.log").SelectMany(File.ReadLines)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"trained shard .*, ([0-9.]+)s\s*$")).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, inv)).ToList();
        if (trained.Count > 0)
            Console.WriteLine(string.Create(inv, $"distributed workers' own training time per shard: {trained.Average():F2} s (mean of {trained.Count}: {string.Join(", ", trained.Select(t => t.ToString("F1", inv)))})"));
    }
    finally
    {
        foreach (var p in processes) await p.StopAsync(TimeSpan.FromSeconds(20));
        foreach (var p in processes) await p.DisposeAsync();
    }
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}
return 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
