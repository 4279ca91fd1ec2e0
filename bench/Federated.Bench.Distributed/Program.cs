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
//   dotnet run -c Release --project bench/Federated.Bench.Distributed -- [--rounds 5] [--workers 2] [--steps 100]
var rounds = Option("--rounds", 5);
var workers = Option("--workers", 2);
var steps = Option("--steps", 100);
var spec = new RunSpec
{
    Name = "bench-distributed",
    Seed = 5,
    Model = new ModelSpec("bytemlp", new Dictionary<string, int> { ["context"] = 8, ["embed"] = 24, ["hidden"] = 256 }),
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
    Console.Error.WriteLine($"embedded: {rounds} rounds, {workers} workers, {steps} local steps");
    // One thread per worker on both sides: the embedded run gives each worker ProcessorCount / workers threads.
    var embeddedWorkers = workers;
    var data = DataDirectory.At(Path.Combine(root, "embedded"));
    var embedded = await EmbeddedRun.ExecuteAsync(spec, null, data, embeddedWorkers, null, TextWriter.Null, CancellationToken.None);
    RunTiming inProcess;
    using (var sqlite = new SqliteEventStore(data.EventsDb)) inProcess = await RunTiming.ReadAsync(sqlite, embedded.RunId);

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
        Console.Error.WriteLine("distributed: running");
        var launched = await LocalProcess.RunAsync("dotnet", [fed, "launch", specPath, "--broker", brokerUri, "--store", postgres.ConnectionString, "--wait", "--json"],
            new Dictionary<string, string?> { ["FED_ADMIN_KEY"] = Convert.ToHexString(adminKey) }, TimeSpan.FromMinutes(30));
        launched.EnsureSuccess();
        var runId = System.Text.Json.Nodes.JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!["runId"]!.GetValue<string>();
        RunTiming distributed;
        await using (var pg = await PostgresEventStore.OpenAsync(postgres.ConnectionString)) distributed = await RunTiming.ReadAsync(pg, runId);

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{rounds} rounds, {workers} workers x 1 thread, bytemlp 8/24/256, {spec.ShardTokens} tokens per shard, {steps} local steps, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"deployment",-34} {"run s",8} {"s/round",8} {"events",7}");
        Console.WriteLine(string.Create(inv, $"{"embedded (in-memory bus, SQLite)",-34} {inProcess.Seconds,8:F2} {inProcess.Seconds / rounds,8:F2} {inProcess.Events,7}"));
        Console.WriteLine(string.Create(inv, $"{"distributed (RabbitMQ, PostgreSQL)",-34} {distributed.Seconds,8:F2} {distributed.Seconds / rounds,8:F2} {distributed.Events,7}"));
        Console.WriteLine(string.Create(inv, $"overhead ratio (distributed / embedded): {distributed.Seconds / inProcess.Seconds:F2}"));
        Console.WriteLine("seconds per round, by phase: open->lease, lease->last accepted update (training, transfers), ->aggregated, ->next round");
        Console.WriteLine($"{"deployment",-34} {"lease",8} {"train",8} {"aggr.",8} {"next",8}");
        Console.WriteLine($"{"embedded",-34} {inProcess.Phases.PerRound(inv)}");
        Console.WriteLine($"{"distributed",-34} {distributed.Phases.PerRound(inv)}");
        Console.WriteLine($"same final model bytes: {(distributed.FinalModelHash == inProcess.FinalModelHash ? "yes" : "NO")} ({inProcess.FinalModelHash[..16]}...)");
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
