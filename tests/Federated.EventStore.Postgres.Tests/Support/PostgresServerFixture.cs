using Federated.EventStore.Tests.Contract;
using Federated.Testing;
using Npgsql;

namespace Federated.EventStore.Postgres.Tests.Support;

/// <summary>
/// One server for the whole collection; each test gets a fresh schema (created by the store's own migrations,
/// dropped afterwards), which is much faster than a database or a cluster per test.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private IPostgresServer? _server;
    private NpgsqlDataSource? _dataSource;

    public IPostgresServer Server => _server ?? throw new InvalidOperationException("The server is not started yet.");

    /// <summary>Shared by the tests; stores opened on it do not own it.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The server is not started yet.");

    public async Task InitializeAsync()
    {
        // The one place that picks the server kind: a container-based IPostgresServer would be created here.
        _server = await LocalPostgresServer.StartNewAsync();
        _dataSource = NpgsqlDataSource.Create(_server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchemaName() => $"t_{Guid.NewGuid():N}";

    /// <summary>Event store and checkpoint store on a fresh schema, dropped on dispose.</summary>
    public async Task<StoreUnderTest> CreateStoresAsync(TimeProvider clock)
    {
        var schema = NewSchemaName();
        var store = await PostgresEventStore.OpenAsync(DataSource, new PostgresStoreOptions { Schema = schema, TimeProvider = clock });
        var checkpoints = await PostgresCheckpointStore.OpenAsync(DataSource, schema);
        return new StoreUnderTest(store, checkpoints, async () =>
        {
            await store.DisposeAsync();
            await checkpoints.DisposeAsync();
            await DropSchemaAsync(schema);
        });
    }

    public async Task DropSchemaAsync(string schema)
    {
        await using var command = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs SQL outside any store, the way an operator (or an attacker) would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops and starts the server; pooled connections to the old server process are dropped.</summary>
    public async Task RestartAsync()
    {
        await Server.StopAsync();
        await Server.StartAsync();
        DataSource.Clear();
    }
}
