using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Federated.Testing;

/// <summary>
/// A private PostgreSQL 15 cluster in a temporary directory: initdb, then pg_ctl on a free port, listening on
/// 127.0.0.1 and a Unix socket inside the directory. Never touches the system cluster. Stopped and deleted on dispose.
/// </summary>
/// <remarks>Run as root (CI), the server runs as the postgres user, since PostgreSQL refuses to run as root.</remarks>
public sealed class LocalPostgresServer : IPostgresServer
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string DatabaseName = "fed_tests";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string _dataDirectory;
    private readonly int _port;

    private LocalPostgresServer(string root, int port)
    {
        _root = root;
        _dataDirectory = Path.Combine(root, "data");
        _port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = DatabaseName,
        }.ToString();
    }

    public string ConnectionString { get; }

    /// <summary>Creates, starts and prepares a fresh cluster; fails (never skips) when PostgreSQL 15 is not installed.</summary>
    public static async Task<LocalPostgresServer> StartNewAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed here ({initdb} is missing), so the PostgreSQL event store tests cannot run. " +
                "Install it with `bash scripts/provision/postgres.sh` (as root), then run the tests again.");
        }

        var root = Path.Combine(Path.GetTempPath(), $"fed-pg-{Guid.NewGuid():N}"[..19]);
        Directory.CreateDirectory(root);
        var server = new LocalPostgresServer(root, FreePort());
        try
        {
            if (RunningAsRoot)
            {
                await ProcessRunner.RunAsync("chown", ["postgres:postgres", root], CommandTimeout);
            }

            // --no-sync: a test cluster need not survive a power cut while being created; the server itself keeps fsync=on.
            await server.RunServerToolAsync("initdb",
                ["-D", server._dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            await server.StartAsync();
            await server.CreateDatabaseAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public Task StartAsync() => RunServerToolAsync("pg_ctl",
    [
        "-D", _dataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30",
        "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=on", "start",
    ]);

    public Task StopAsync() => RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "-t", "30", "stop"]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (a test stopped it, or it never started): nothing to stop.
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private Task RunServerToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(BinDirectory, tool);
        return RunningAsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], CommandTimeout)
            : ProcessRunner.RunAsync(path, arguments, CommandTimeout);
    }

    private Task CreateDatabaseAsync() => CreateDatabaseAsync(DatabaseName);

    /// <summary>Creates another database on this server (e.g. one per test) and returns its connection string.</summary>
    /// <param name="name">Lower-case letters, digits and underscores.</param>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            throw new ArgumentException($"database name '{name}' must be lower-case letters, digits and underscores", nameof(name));
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ToString();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    /// <summary>A port nobody listens on right now (the OS picks it; the tiny window before pg_ctl binds it is acceptable in tests).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
