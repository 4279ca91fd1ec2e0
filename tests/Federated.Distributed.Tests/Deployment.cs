using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>
/// One test's distributed deployment: its own vhost on the shared broker, its own database on the shared PostgreSQL,
/// a data folder, and real `fed coordinator` / `fed worker` processes (dotnet fed.dll) that it starts, kills and
/// restarts. Logs of every process stay under <see cref="Root"/> (printed on failure), deleted on dispose.
/// </summary>
public sealed partial class Deployment : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly ClusterFixture _cluster;
    private readonly List<LocalProcess> _processes = [];
    private int _coordinatorStarts;

    private Deployment(ClusterFixture cluster, string root, string vhost, string broker, string store, int blobPort)
    {
        _cluster = cluster;
        VirtualHost = vhost;
        Root = root;
        Broker = broker;
        Store = store;
        BlobUrl = $"http://127.0.0.1:{blobPort}";
    }

    public string Root { get; }
    public string VirtualHost { get; }
    public string Broker { get; }
    /// <summary>PostgreSQL connection string of this test's database.</summary>
    public string Store { get; }
    public string BlobUrl { get; }
    public LocalProcess? Coordinator { get; private set; }
    public Dictionary<string, LocalProcess> Workers { get; } = new(StringComparer.Ordinal);
    public RunLogReader Log => new(Store);

    public static async Task<Deployment> CreateAsync(ClusterFixture cluster)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var vhost = $"t{id}";
        await cluster.Broker.CtlAsync(["add_vhost", vhost]);
        await cluster.Broker.CtlAsync(["set_permissions", "-p", vhost, RabbitMqServer.User, ".*", ".*", ".*"]);
        var broker = $"rabbitmq://{RabbitMqServer.User}:{cluster.Broker.Password}@127.0.0.1:{cluster.Broker.AmqpPort}/{vhost}";
        var store = await cluster.Postgres.CreateDatabaseAsync($"t{id}");
        var root = Path.Combine(Path.GetTempPath(), "fed-dist", id);
        Directory.CreateDirectory(root);
        return new Deployment(cluster, root, vhost, broker, store, FreePort.Next());
    }

    /// <summary>Starts `fed coordinator` (again, after a kill: same store and data) and waits until it takes messages.</summary>
    /// <param name="run">A spec to launch once started (`--run`).</param>
    /// <param name="extraArguments">More options, e.g. the chain options.</param>
    /// <param name="environment">More environment variables, e.g. FED_CHAIN_KEY.</param>
    /// <param name="broker">Another broker URI than <see cref="Broker"/> (e.g. with a restricted user).</param>
    public async Task<LocalProcess> StartCoordinatorAsync(JsonObject? run = null, string[]? extraArguments = null, IReadOnlyDictionary<string, string?>? environment = null,
        string? broker = null)
    {
        var n = ++_coordinatorStarts;
        string[] launch = run is null ? [] : ["--run", WriteSpec(run)];
        var process = StartFed($"coordinator-{n}", ["coordinator", "--broker", broker ?? Broker, "--store", Store, "--blob-listen", BlobUrl,
            "--data", Path.Combine(Root, "coordinator"), "--admin", AdminAddress, .. launch, .. extraArguments ?? []], environment);
        Coordinator = process;
        await process.WaitForOutputAsync("coordinator ready", ReadyTimeout);
        return process;
    }

    /// <summary>Starts `fed worker --id id` (heartbeat every second, so a restarted coordinator finds it quickly).</summary>
    /// <param name="environment">More environment variables; FED_WORKER_KEY defaults to <see cref="WorkerKey"/>.</param>
    /// <param name="broker">Another broker URI than <see cref="Broker"/> (e.g. the worker's own restricted user).</param>
    /// <param name="extraArguments">More options, e.g. --recover-seconds.</param>
    public async Task<LocalProcess> StartWorkerAsync(string workerId, IReadOnlyDictionary<string, string?>? environment = null, string? broker = null,
        string[]? extraArguments = null)
    {
        var variables = new Dictionary<string, string?> { ["FED_WORKER_KEY"] = Convert.ToHexString(WorkerKey(workerId)) };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) variables[key] = value;
        var process = StartFed($"worker-{workerId}", ["worker", "--broker", broker ?? Broker, "--blob-url", BlobUrl, "--id", workerId, "--heartbeat-seconds", "1", .. extraArguments ?? []], variables);
        Workers[workerId] = process;
        await process.WaitForOutputAsync("ready", ReadyTimeout);
        return process;
    }

    /// <summary>`fed launch spec --broker ...`; returns the run id it prints.</summary>
    public async Task<string> LaunchAsync(JsonObject spec)
    {
        var result = await RunFedAsync("launch", ["launch", WriteSpec(spec), "--broker", Broker], admin: true);
        result.EnsureSuccess();
        return RunIdIn(result.Output) ?? throw new InvalidOperationException($"fed launch printed no run id:\n{result.Output}");
    }

    /// <summary>`fed launch spec --broker ... --store ... --wait --json`: the exit code and what it printed.</summary>
    public Task<ProcessResult> LaunchAndWaitAsync(JsonObject spec) =>
        RunFedAsync("launch-wait", ["launch", WriteSpec(spec), "--broker", Broker, "--store", Store, "--wait", "--json"], TimeSpan.FromMinutes(3), admin: true);

    /// <summary>The consortium admin the coordinator obeys (`--admin`) and `fed launch` signs as (FED_ADMIN_KEY).</summary>
    internal static readonly byte[] AdminKey = System.Security.Cryptography.SHA256.HashData("fed-dist-tests/admin"u8);

    public static string AdminAddress { get; } = Federated.Chain.Signing.EthSigner.AddressOf(AdminKey).ToChecksumString();

    /// <summary>A worker's key, the same for every start of the same id (a restarted worker keeps its identity).</summary>
    public static byte[] WorkerKey(string workerId) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"fed-dist-tests/worker/{workerId}"));

    /// <summary>Messages waiting in each queue of this test's vhost (ready + unacknowledged).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync()
    {
        var result = await _cluster.Broker.CtlAsync(["-q", "list_queues", "-p", VirtualHost, "name", "messages", "--formatter", "json"]);
        var queues = JsonNode.Parse(result.Output.Length == 0 ? "[]" : result.Output)!.AsArray();
        return queues.ToDictionary(q => (string)q!["name"]!, q => (long)q!["messages"]!, StringComparer.Ordinal);
    }

    /// <summary>Consumers attached to each queue of this test's vhost, as the broker counts them.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueConsumersAsync()
    {
        var result = await _cluster.Broker.CtlAsync(["-q", "list_queues", "-p", VirtualHost, "name", "consumers", "--formatter", "json"]);
        var queues = JsonNode.Parse(result.Output.Length == 0 ? "[]" : result.Output)!.AsArray();
        return queues.ToDictionary(q => (string)q!["name"]!, q => (long)q!["consumers"]!, StringComparer.Ordinal);
    }

    /// <summary>Everything the processes printed, for a failure message.</summary>
    public string Logs() => string.Join("\n", Directory.GetFiles(Root, "*.log").Order().Select(f =>
    {
        var lines = File.ReadAllLines(f);
        return $"--- {Path.GetFileName(f)} (last 40 lines) ---\n" + string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
    }));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes) await p.DisposeAsync();
        if (System.Environment.GetEnvironmentVariable("FED_KEEP_TEST_DATA") != "1")
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private LocalProcess StartFed(string name, string[] arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = LocalProcess.Start("dotnet", [FedDll, .. arguments], Path.Combine(Root, $"{name}.log"), ProcessEnvironment(environment), Root);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs `fed arguments` to completion with the test's environment plus <paramref name="environment"/>
    /// (and the admin's key when <paramref name="admin"/>).</summary>
    public Task<ProcessResult> RunFedAsync(string name, string[] arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null, bool admin = false)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>());
        if (admin) variables["FED_ADMIN_KEY"] = Convert.ToHexString(AdminKey);
        return LocalProcess.RunAsync("dotnet", [FedDll, .. arguments], ProcessEnvironment(variables), timeout ?? TimeSpan.FromSeconds(90), Path.Combine(Root, $"{name}.log"));
    }

    private string WriteSpec(JsonObject spec)
    {
        var path = Path.Combine(Root, $"spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, spec.ToJsonString());
        return path;
    }

    /// <summary>No FED_* setting of the machine leaks into the processes; everything they use is on their command line.</summary>
    private static Dictionary<string, string?> ProcessEnvironment(IReadOnlyDictionary<string, string?>? extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["FED_BROKER"] = null, ["FED_STORE"] = null, ["FED_BLOB_URL"] = null, ["FED_BLOB_LISTEN"] = null, ["FED_WORKER_ID"] = null,
            ["FED_WORKER_KEY"] = null, ["FED_ADMIN_KEY"] = null, ["FED_ADMINS"] = null, ["FED_KEY_PASSWORD"] = null,
            ["FED_CHAIN_RPC"] = null, ["FED_CHAIN_ID"] = null, ["FED_DISTRIBUTOR"] = null, ["FED_CHAIN_KEY"] = null,
            ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) environment[key] = value;
        return environment;
    }

    private static string FedDll
    {
        get
        {
            var fed = Path.Combine(AppContext.BaseDirectory, "fed.dll");
            return File.Exists(fed) ? fed : throw new FileNotFoundException("fed.dll is not next to the tests; build src/Federated.Cli", fed);
        }
    }

    internal static string? RunIdIn(string output) => RunId().Matches(output).Select(m => m.Value).LastOrDefault();

    [GeneratedRegex(@"\b\d{8}-\d{6}-[0-9a-f]{6}\b")]
    private static partial Regex RunId();
}
