using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Postgres.Tests;

/// <summary>The write paths the contract suite does not reach: binary COPY for large batches, and group commit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAppendPathTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServerFixture.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DropSchemaAsync(_schema);

    // Over the store's COPY threshold (1000 events), so the rows go through binary COPY, not INSERT.
    [Fact]
    public async Task A_batch_large_enough_for_binary_copy_is_stored_with_an_intact_chain()
    {
        await using var store = await OpenAsync(server.DataSource);
        await store.AppendAsync("run-0", ExpectedVersion.NoStream, Events.Numbered(3));
        await store.AppendAsync("run-1", ExpectedVersion.NoStream, Events.Numbered(1500));

        var result = await new EventLogVerifier(store).VerifyAsync();

        Assert.Equal((true, 1503L), (result.IsValid, result.EventsVerified));
    }

    [Fact]
    public async Task Many_concurrent_single_appends_from_one_store_are_committed_in_groups_with_an_intact_chain()
    {
        await using var store = await OpenAsync(server.DataSource);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            store.AppendAsync($"run-{i % 7}", ExpectedVersion.Any, [Events.New()]))));

        var result = await new EventLogVerifier(store).VerifyAsync();
        Assert.Equal((true, 200L), (result.IsValid, result.EventsVerified));
    }

    private Task<PostgresEventStore> OpenAsync(Npgsql.NpgsqlDataSource dataSource) =>
        PostgresEventStore.OpenAsync(dataSource, new PostgresStoreOptions { Schema = _schema });
}
