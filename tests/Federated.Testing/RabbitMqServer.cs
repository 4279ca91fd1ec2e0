using System.Security.Cryptography;
using System.Text.Json;

namespace Federated.Testing;

/// <summary>
/// A private RabbitMQ node for tests, started from Debian's rabbitmq-server package (install it with
/// scripts/provision/rabbitmq.sh). Everything is its own: node name, a directory under the temp folder
/// (data, logs, config, Erlang cookie), free ports on 127.0.0.1 for AMQP, Erlang distribution, epmd and the CLI,
/// and a user and vhost with a random password. It never touches a system RabbitMQ.
/// Use it as an xunit class fixture (one per test class), or call <see cref="StartAsync"/> yourself.
/// </summary>
public sealed class RabbitMqServer : IBrokerFixture, IAsyncLifetime
{
    public const string User = "fed";
    public const string VirtualHost = "fed";
    private const string ProvisionHint = "run scripts/provision/rabbitmq.sh (as root) to install it";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _sbin;
    private readonly string _password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private Ports _ports;
    private LocalProcess? _server;
    private bool _everStarted;
    private bool _disposed;

    /// <summary>A server not yet started (xunit starts a class fixture through <see cref="IAsyncLifetime"/>).</summary>
    public RabbitMqServer() : this("rabbitmq") { }

    /// <param name="name">Shows up in the node name and directory, to tell instances apart in logs.</param>
    private RabbitMqServer(string name)
    {
        _sbin = FindRabbitMqBin();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        NodeName = $"fed-{Sanitize(name)}-{id}@localhost";
        Root = Path.Combine(Path.GetTempPath(), "fed-rabbitmq", $"{Sanitize(name)}-{id}");
        _ports = Ports.Pick();
    }

    /// <summary>The instance directory: mnesia/ (data), log/, rabbitmq.conf, console.log, .erlang.cookie.</summary>
    public string Root { get; }
    public string NodeName { get; }
    public int AmqpPort => _ports.Amqp;
    public int DistributionPort => _ports.Distribution;
    public int EpmdPort => _ports.Epmd;
    public string Password => _password;

    public Uri BrokerUri => new($"rabbitmq://{User}:{_password}@127.0.0.1:{_ports.Amqp}/{VirtualHost}");
    public bool IsRunning => _server is { HasExited: false };

    /// <summary>Starts a new private server and waits until it accepts clients.</summary>
    public static async Task<RabbitMqServer> StartNewAsync(string name = "rabbitmq", CancellationToken cancellationToken = default)
    {
        var server = new RabbitMqServer(name);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
            return;
        WriteFiles();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync(cancellationToken);
                _everStarted = true;
                return;
            }
            catch (PortTakenException) when (!_everStarted && attempt < 3)
            {
                // Another process took a port between choosing and binding; the URI is not out yet, so pick again.
                _ports = Ports.Pick();
                WriteFiles();
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_server is null)
            return;
        if (!_server.HasExited)
        {
            var stop = await CtlAsync(["stop"], TimeSpan.FromSeconds(60), cancellationToken, throwOnFailure: false);
            if (!await _server.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken))
                _server.Kill();
            if (!stop.Succeeded && !_server.HasExited)
                throw new InvalidOperationException($"rabbitmqctl stop failed for {NodeName}:\n{stop.Output}");
        }
        await _server.DisposeAsync();
        _server = null;
    }

    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (_server is null)
            return;
        _server.Kill();
        await _server.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await _server.DisposeAsync();
        _server = null;
    }

    public async Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        var result = await CtlAsync(
            ["-q", "list_queues", "-p", VirtualHost, "name", "messages", "consumers", "--formatter", "json"],
            TimeSpan.FromSeconds(60), cancellationToken);
        using var json = JsonDocument.Parse(result.Output.Length == 0 ? "[]" : result.Output);
        return json.RootElement.EnumerateArray()
            .Select(q => new BrokerQueue(q.GetProperty("name").GetString()!, q.GetProperty("messages").GetInt64(), q.GetProperty("consumers").GetInt64()))
            .ToList();
    }

    /// <summary>rabbitmqctl aimed at this node, as one command line (with <see cref="CtlEnvironment"/>), for scripts
    /// such as scripts/provision/rabbitmq-users.sh (its RABBITMQCTL).</summary>
    public string CtlCommand => $"{Path.Combine(_sbin, "rabbitmqctl")} -n {NodeName}";

    /// <summary>The environment rabbitmqctl needs to reach this node (its cookie, ports).</summary>
    public IReadOnlyDictionary<string, string?> CtlEnvironment => NodeEnvironment();

    /// <summary>Runs rabbitmqctl against this node (e.g. ["list_connections"]) and returns what it printed.</summary>
    public Task<ProcessResult> CtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        CtlAsync(arguments, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Stops the node, stops its epmd, and deletes its directory (set FED_KEEP_BROKER_DATA=1 to keep it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            await StopAsync();
        }
        catch (Exception)
        {
            if (_server is not null)
                await _server.DisposeAsync();
        }
        // The node started an epmd daemon of its own on EpmdPort; it outlives the node unless told to go.
        await LocalProcess.RunAsync(FindEpmd(), ["-port", _ports.Epmd.ToString(), "-kill"], timeout: TimeSpan.FromSeconds(10))
            .ContinueWith(_ => { }, TaskScheduler.Default);
        if (Environment.GetEnvironmentVariable("FED_KEEP_BROKER_DATA") != "1")
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override string ToString() => $"{NodeName} on 127.0.0.1:{AmqpPort} ({Root})";

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        var server = LocalProcess.Start(Path.Combine(_sbin, "rabbitmq-server"), [], Path.Combine(Root, "console.log"), NodeEnvironment(), Root);
        _server = server;
        var listening = await FreePort.WaitUntilListeningAsync(_ports.Amqp, StartTimeout, () => server.HasExited, cancellationToken);
        if (!listening)
        {
            var output = server.Output + ReadLogTail();
            server.Kill();
            await server.DisposeAsync();
            _server = null;
            if (output.Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase))
                throw new PortTakenException();
            throw new InvalidOperationException(
                $"RabbitMQ node {NodeName} did not accept AMQP connections on 127.0.0.1:{_ports.Amqp} within {StartTimeout.TotalSeconds:0} s " +
                $"(server {(server.HasExited ? $"exited with {server.ExitCode}" : "still running")}). Output:\n{output}");
        }
        // The AMQP listener opens last in the boot sequence; await_startup confirms the node, the cookie and epmd all agree.
        await CtlAsync(["await_startup", "--timeout", "60"], TimeSpan.FromSeconds(75), cancellationToken);
    }

    private async Task<ProcessResult> CtlAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await LocalProcess.RunAsync(
                Path.Combine(_sbin, "rabbitmqctl"), new[] { "-n", NodeName }.Concat(arguments), NodeEnvironment(), timeout,
                cancellationToken: cancellationToken);
            // The CLI has one distribution port of its own (Ports.Cli); right after the previous call it can still be
            // held, and the CLI then fails before reaching the node. That is not the node's answer: try again.
            if (!result.Succeeded && attempt < 5 && result.Output.Contains("nodistribution", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                continue;
            }
            return throwOnFailure ? result.EnsureSuccess() : result;
        }
    }

    private Dictionary<string, string?> NodeEnvironment()
    {
        const string localOnly = "-kernel inet_dist_use_interface {127,0,0,1}";
        return new Dictionary<string, string?>
        {
            // The Erlang cookie lives in $HOME: a private HOME gives this node and its CLI calls their own cookie.
            ["HOME"] = Root,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = _ports.Amqp.ToString(),
            ["RABBITMQ_DIST_PORT"] = _ports.Distribution.ToString(),
            ["ERL_EPMD_PORT"] = _ports.Epmd.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            // The CLI listens too (default 35672-35682, shared by every node on the machine): give it a port of its own.
            ["RABBITMQ_CTL_DIST_PORT_MIN"] = _ports.Cli.ToString(),
            ["RABBITMQ_CTL_DIST_PORT_MAX"] = _ports.Cli.ToString(),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = localOnly,
            ["RABBITMQ_CTL_ERL_ARGS"] = localOnly,
            // Idle schedulers sleep instead of spinning: tests share two cores with the build.
            ["RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD"] = "none",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Root, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Root, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Root, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Root, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Root, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(Root, "rabbitmq.pid"),
            ["RABBITMQ_ALLOW_INPUT"] = null,
            ["RABBITMQ_ENABLED_PLUGINS"] = null,
        };
    }

    private void WriteFiles()
    {
        Directory.CreateDirectory(Path.Combine(Root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(Root, "log"));
        File.WriteAllText(Path.Combine(Root, "rabbitmq.conf"), $"""
            # Generated by Federated.Testing.RabbitMqServer for node {NodeName}.
            listeners.tcp.default = 127.0.0.1:{_ports.Amqp}
            loopback_users = none
            default_user = {User}
            default_pass = {_password}
            default_vhost = {VirtualHost}
            default_permissions.configure = .*
            default_permissions.read = .*
            default_permissions.write = .*
            log.console = false
            log.file.level = info
            """);
        // No plugins: no management UI, nothing listening beyond AMQP.
        File.WriteAllText(Path.Combine(Root, "enabled_plugins"), "[].\n");
        // Stand-ins for /etc/rabbitmq's files, which belong to the system instance.
        File.WriteAllText(Path.Combine(Root, "rabbitmq-env.conf"), "");
        File.WriteAllText(Path.Combine(Root, "advanced.config"), "[].\n");
    }

    private string ReadLogTail()
    {
        var log = Path.Combine(Root, "log", $"{NodeName}.log");
        if (!File.Exists(log))
            return "";
        var lines = File.ReadAllLines(log);
        return $"\n--- {log} (last lines) ---\n" + string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
    }

    private static string FindRabbitMqBin()
    {
        var overridden = System.Environment.GetEnvironmentVariable("FED_RABBITMQ_BIN");
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(Path.Combine(overridden, "rabbitmq-server"))
                ? overridden
                : throw new InvalidOperationException($"FED_RABBITMQ_BIN={overridden} holds no rabbitmq-server script.");
        }
        // Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the rabbitmq user (and its HOME and
        // cookie); the scripts behind it run as the calling user with the environment given here.
        const string debian = "/usr/lib/rabbitmq/bin";
        if (File.Exists(Path.Combine(debian, "rabbitmq-server")))
            return debian;
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "rabbitmq-server")) && File.Exists(Path.Combine(dir, "rabbitmqctl")))
                return dir;
        }
        throw new InvalidOperationException($"rabbitmq-server is not installed; {ProvisionHint}.");
    }

    private static string FindEpmd()
    {
        if (File.Exists("/usr/bin/epmd"))
            return "/usr/bin/epmd";
        return "epmd";
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    private readonly record struct Ports(int Amqp, int Distribution, int Epmd, int Cli)
    {
        public static Ports Pick()
        {
            var p = FreePort.Next(4);
            return new Ports(p[0], p[1], p[2], p[3]);
        }
    }

    private sealed class PortTakenException : Exception;
}
