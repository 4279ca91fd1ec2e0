using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Federated.Bench.EventStore;

/// <summary>A throwaway PostgreSQL 15 cluster for the benchmark: initdb in a temp directory, pg_ctl on a free
/// 127.0.0.1 port, durable settings (fsync on, synchronous_commit on), removed on dispose.</summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"fed-pgbench-{Guid.NewGuid():N}"[..24]);
    private readonly int _port = FreePort();

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    /// <summary>More server settings for an experiment, e.g. FED_BENCH_PG_OPTIONS="-c wal_compression=on".</summary>
    public static string ExtraSettings => Environment.GetEnvironmentVariable("FED_BENCH_PG_OPTIONS") ?? "";

    public static PrivatePostgres Start()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"{Bin}/initdb is missing: run `bash scripts/provision/postgres.sh` first.");
        }

        var server = new PrivatePostgres();
        Directory.CreateDirectory(server._root);
        if (Environment.UserName == "root")
        {
            Run("chown", "postgres:postgres", server._root);
        }

        var data = Path.Combine(server._root, "data");
        server.Tool("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
        server.Tool("pg_ctl", "-D", data, "-l", Path.Combine(server._root, "log"), "-w",
            "-o", $"-p {server._port} -k {server._root} -c listen_addresses=127.0.0.1 -c fsync=on {ExtraSettings}", "start");
        return server;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Tool("pg_ctl", "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    private void Tool(string tool, params string[] arguments)
    {
        if (Environment.UserName == "root")
        {
            Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments]);
        }
        else
        {
            Run(Path.Combine(Bin, tool), arguments);
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
