using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRestartTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServerFixture.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DropSchemaAsync(_schema);

    [Fact]
    public async Task Committed_events_survive_a_server_restart_with_their_chain_intact()
    {
        await using (var before = await OpenAsync())
        {
            await before.AppendAsync("run-1", ExpectedVersion.NoStream, Events.Numbered(3));
            await before.AppendAsync("run-2", ExpectedVersion.NoStream, Events.Numbered(2));
        }

        await server.RestartAsync();
        await using var after = await OpenAsync();

        var result = await new EventLogVerifier(after).VerifyAsync();

        Assert.Equal((true, 5L), (result.IsValid, result.EventsVerified));
    }

    [Fact]
    public async Task An_open_store_appends_again_after_the_server_restarts()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync("run-1", ExpectedVersion.NoStream, Events.Numbered(2));

        await server.RestartAsync();
        try
        {
            // The writer's connection died with the old server process; the store may report that once.
            await store.AppendAsync("run-1", ExpectedVersion.Exact(1), [Events.New()]);
        }
        catch (EventStoreException)
        {
            await store.AppendAsync("run-1", ExpectedVersion.Exact(1), [Events.New()]);
        }

        Assert.Equal(2, await store.GetStreamVersionAsync("run-1"));
    }

    private Task<PostgresEventStore> OpenAsync() =>
        PostgresEventStore.OpenAsync(server.DataSource, new PostgresStoreOptions { Schema = _schema });
}
