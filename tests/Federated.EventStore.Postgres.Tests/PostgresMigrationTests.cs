using Federated.EventStore.Postgres.Tests.Support;

namespace Federated.EventStore.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServerFixture.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DropSchemaAsync(_schema);

    [Fact]
    public async Task Opening_a_store_twice_records_each_migration_once_in_order()
    {
        await (await OpenAsync()).DisposeAsync();
        await (await OpenAsync()).DisposeAsync();

        Assert.Equal([1, 2, 3], await ScalarsAsync($"SELECT version FROM \"{_schema}\".schema_version ORDER BY version"));
    }

    [Fact]
    public async Task Stores_opening_a_fresh_schema_at_the_same_time_all_succeed()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(OpenAsync)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal([1, 2, 3], await ScalarsAsync($"SELECT version FROM \"{_schema}\".schema_version ORDER BY version"));
    }

    [Fact]
    public async Task A_schema_migrated_by_a_newer_build_is_refused()
    {
        await (await OpenAsync()).DisposeAsync();
        await server.ExecuteAsync($"INSERT INTO \"{_schema}\".schema_version (version, name) VALUES (99, '0099_future.sql')");

        var e = await Assert.ThrowsAsync<EventStoreException>(OpenAsync);

        Assert.Contains("has schema version 99, newer than this build knows", e.Message);
    }

    private Task<PostgresEventStore> OpenAsync() =>
        PostgresEventStore.OpenAsync(server.DataSource, new PostgresStoreOptions { Schema = _schema });

    private async Task<List<int>> ScalarsAsync(string sql)
    {
        await using var command = server.DataSource.CreateCommand(sql);
        await using var rows = await command.ExecuteReaderAsync();
        var values = new List<int>();
        while (await rows.ReadAsync())
        {
            values.Add(rows.GetInt32(0));
        }

        return values;
    }
}
