using System.Globalization;
using DotNet.Testcontainers.Containers;
using Federated.Testing;
using Npgsql;

namespace Federated.Containers.Tests;

/// <summary>
/// PostgreSQL 15 in a container (image fed-postgres, Debian's package) behind the same seam as
/// <see cref="LocalPostgresServer"/>: 127.0.0.1 on a free port, trust for the superuser postgres, one database per test.
/// Stop / start keep the data (the container's file system); the image stops with SIGINT, PostgreSQL's fast shutdown.
/// </summary>
public sealed class ContainerPostgres : IPostgresServer, IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly IContainer _container;
    private bool _created;

    public ContainerPostgres()
    {
        Port = FreePort.Next();
        _container = DockerHost.Container(DockerHost.Image("fed-postgres"), "postgres")
            .WithEnvironment(new Dictionary<string, string> { ["PGPORT"] = Port.ToString(CultureInfo.InvariantCulture), ["FED_POSTGRES_DB"] = "fed_tests" })
            .Build();
        ConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "fed_tests" }.ToString();
    }

    public int Port { get; }
    public string ConnectionString { get; }
    public IContainer Container => _container;

    public async Task StartAsync()
    {
        if (!_created)
        {
            await _container.StartAsync();
            _created = true;
        }
        else
        {
            (await DockerHost.Cli(["start", _container.Id])).EnsureSuccess();
        }
        await WaitReadyAsync();
    }

    public async Task StopAsync() => (await DockerHost.Cli(["stop", "-t", "30", _container.Id], TimeSpan.FromSeconds(90))).EnsureSuccess();

    /// <summary>`docker restart` of the database's container, then waits until it answers queries again.</summary>
    public async Task RestartAsync()
    {
        await _container.RestartAsync(stopSeconds: 30);
        await WaitReadyAsync();
    }

    /// <summary>Creates another database (e.g. one per test) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            throw new ArgumentException($"database name '{name}' must be lower-case letters, digits and underscores", nameof(name));
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    public async ValueTask DisposeAsync() => await _container.DisposeAsync();

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override string ToString() => $"{_container.Name} (fed-postgres) on 127.0.0.1:{Port}";

    private string Admin => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ToString();

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Admin);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new InvalidOperationException($"PostgreSQL in {_container.Name} did not answer on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s: {e.Message}\n" +
                    DockerHost.Tail(await _container.LogsAsync()));
            }
        }
    }
}
