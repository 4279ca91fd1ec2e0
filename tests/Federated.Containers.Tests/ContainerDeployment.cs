using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Federated.Chain.Signing;
using Federated.Distributed.Tests;
using Federated.Testing;

namespace Federated.Containers.Tests;

/// <summary>A one-shot `fed` container that has exited: its exit code and everything it printed.</summary>
public sealed record ContainerResult(string Name, long ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// One test's deployment in containers: its own vhost on the broker container, its own database on the PostgreSQL
/// container, and fed-coordinator / fed-worker containers (host network) that it starts, kills and removes. The
/// coordinator's data folder is a host folder mounted at /data, so it outlives a coordinator container.
/// </summary>
public sealed partial class ContainerDeployment : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly List<IContainer> _containers = [];
    private int _coordinatorStarts;

    private ContainerDeployment(ContainerCluster cluster, string vhost, string broker, string store, string root, int blobPort)
    {
        Cluster = cluster;
        VirtualHost = vhost;
        Broker = broker;
        Store = store;
        Root = root;
        BlobUrl = $"http://127.0.0.1:{blobPort}";
        Data = Path.Combine(root, "data");
        Directory.CreateDirectory(Data);
        File.SetUnixFileMode(Data, (UnixFileMode)0b111_111_111);
    }

    public ContainerCluster Cluster { get; }
    public string VirtualHost { get; }
    public string Broker { get; }
    public string Store { get; }
    public string Root { get; }
    /// <summary>The coordinator's data folder on the host (mounted at /data).</summary>
    public string Data { get; }
    public string BlobUrl { get; }
    public IContainer? Coordinator { get; private set; }
    public Dictionary<string, IContainer> Workers { get; } = new(StringComparer.Ordinal);
    public RunLogReader Log => new(Store);

    /// <summary>The consortium admin the coordinator obeys and `fed launch` signs as.</summary>
    public static readonly byte[] AdminKey = SHA256.HashData("fed-container-tests/admin"u8);
    public static string AdminAddress { get; } = EthSigner.AddressOf(AdminKey).ToChecksumString();

    /// <summary>A worker's key, the same for every start of the same id.</summary>
    public static byte[] WorkerKey(string workerId) => SHA256.HashData(Encoding.UTF8.GetBytes($"fed-container-tests/worker/{workerId}"));

    public static async Task<ContainerDeployment> CreateAsync(ContainerCluster cluster)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var vhost = $"t{id}";
        var broker = await cluster.Broker.AddVirtualHostAsync(vhost);
        var store = await cluster.Postgres.CreateDatabaseAsync($"t{id}");
        return new ContainerDeployment(cluster, vhost, broker, store, DockerHost.SharedFolder("deployment"), FreePort.Next());
    }

    /// <summary>Starts a fed-coordinator container (again, after a kill: same store and data) and waits until it takes messages.</summary>
    public async Task<IContainer> StartCoordinatorAsync(string[]? extraArguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var n = ++_coordinatorStarts;
        var container = DockerHost.Container(DockerHost.Image("fed-coordinator"), $"coordinator-{n}")
            .WithBindMount(Data, "/data", AccessMode.ReadWrite)
            .WithEnvironment(new Dictionary<string, string>(environment ?? new Dictionary<string, string>()))
            .WithCommand(["coordinator", "--broker", Broker, "--store", Store, "--blob-listen", BlobUrl, "--data", "/data", "--admin", AdminAddress,
                .. extraArguments ?? []])
            .Build();
        _containers.Add(container);
        await container.StartAsync();
        Coordinator = container;
        await container.WaitForLogAsync("coordinator ready", ReadyTimeout);
        return container;
    }

    /// <summary>Builds (not starts) a fed-worker container: FED_BROKER, FED_BLOB_URL, FED_WORKER_ID and FED_WORKER_KEY from
    /// this deployment unless <paramref name="environment"/> says otherwise (a null value leaves the variable out).</summary>
    public IContainer Worker(string workerId, IReadOnlyDictionary<string, string?>? environment = null, string[]? arguments = null,
        string? keys = null, bool oneShot = false)
    {
        var variables = new Dictionary<string, string?>
        {
            ["FED_BROKER"] = Broker,
            ["FED_BLOB_URL"] = BlobUrl,
            ["FED_WORKER_ID"] = workerId,
            ["FED_WORKER_KEY"] = Convert.ToHexString(WorkerKey(workerId)),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) variables[key] = value;
        var builder = DockerHost.Container(DockerHost.Image("fed-worker"), $"worker-{workerId}")
            .WithEnvironment(variables.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!))
            .WithCommand(["--heartbeat-seconds", "1", .. arguments ?? []]);
        if (keys is not null) builder = builder.WithBindMount(keys, "/keys", AccessMode.ReadOnly);
        if (oneShot) builder = builder.WithWaitStrategy(DockerHost.OneShot());
        var container = builder.Build();
        _containers.Add(container);
        return container;
    }

    /// <summary>Starts a worker container and waits until it says it is ready.</summary>
    public async Task<IContainer> StartWorkerAsync(string workerId, IReadOnlyDictionary<string, string?>? environment = null, string[]? arguments = null, string? keys = null)
    {
        var container = Worker(workerId, environment, arguments, keys);
        await container.StartAsync();
        Workers[workerId] = container;
        await container.WaitForLogAsync(l => l.Contains($"worker {workerId} ready", StringComparison.Ordinal), ReadyTimeout, "ready");
        return container;
    }

    /// <summary>`fed launch` in a fed-coordinator container (the image's entry point is fed); returns the run id it prints.</summary>
    public async Task<string> LaunchAsync(JsonObject spec)
    {
        var specs = Path.Combine(Root, $"spec-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(specs);
        await File.WriteAllTextAsync(Path.Combine(specs, "spec.json"), spec.ToJsonString());
        File.SetUnixFileMode(Path.Combine(specs, "spec.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = await RunFedAsync("launch", ["launch", "/spec/spec.json", "--broker", Broker],
            new Dictionary<string, string> { ["FED_ADMIN_KEY"] = Convert.ToHexString(AdminKey) }, mounts: [(specs, "/spec")]);
        if (!result.Succeeded) throw new InvalidOperationException($"fed launch exited with {result.ExitCode}:\n{result.Output}");
        return RunIdIn(result.Output) ?? throw new InvalidOperationException($"fed launch printed no run id:\n{result.Output}");
    }

    /// <summary>Runs `fed arguments` in a one-shot fed-coordinator container to its end.</summary>
    public async Task<ContainerResult> RunFedAsync(string name, string[] arguments, IReadOnlyDictionary<string, string>? environment = null,
        (string Host, string Container)[]? mounts = null, TimeSpan? timeout = null)
    {
        var builder = DockerHost.Container(DockerHost.Image("fed-coordinator"), name)
            .WithEnvironment(new Dictionary<string, string>(environment ?? new Dictionary<string, string>()))
            .WithCommand(arguments)
            .WithWaitStrategy(DockerHost.OneShot());
        foreach (var (host, inside) in mounts ?? []) builder = builder.WithBindMount(host, inside, AccessMode.ReadOnly);
        await using var container = builder.Build();
        await container.StartAsync();
        var exit = await container.ExitCodeAsync(timeout ?? TimeSpan.FromSeconds(120));
        return new ContainerResult(container.Name, exit, await container.LogsAsync());
    }

    /// <summary>The last lines of every container of this deployment, for failure messages.</summary>
    public string Logs()
    {
        var parts = new List<string>();
        foreach (var container in _containers)
        {
            try
            {
                parts.Add($"--- {container.Name} ---\n{DockerHost.Tail(container.LogsAsync().GetAwaiter().GetResult(), 40)}");
            }
            catch (Exception e)
            {
                parts.Add($"--- {container.Name}: no logs ({e.Message}) ---");
            }
        }
        return string.Join('\n', parts);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers) await container.DisposeAsync();
        if (Environment.GetEnvironmentVariable("FED_KEEP_TEST_DATA") != "1")
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static string? RunIdIn(string output) => RunId().Matches(output).Select(m => m.Value).LastOrDefault();

    [GeneratedRegex(@"\b\d{8}-\d{6}-[0-9a-f]{6}\b")]
    private static partial Regex RunId();
}
