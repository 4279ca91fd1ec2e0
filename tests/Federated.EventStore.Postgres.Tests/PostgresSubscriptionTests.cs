using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Subscriptions;
using Npgsql;

namespace Federated.EventStore.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSubscriptionTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServerFixture.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DropSchemaAsync(_schema);

    [Fact]
    public async Task A_catch_up_subscription_stores_its_checkpoint_at_the_last_event()
    {
        await using var store = await OpenAsync(server.DataSource);
        await using var checkpoints = await PostgresCheckpointStore.OpenAsync(server.DataSource, _schema);
        await store.AppendAsync("run-1", ExpectedVersion.NoStream, Events.Numbered(5));
        var subscription = new CatchUpSubscription("projection-a", store, checkpoints, (_, _) => ValueTask.CompletedTask, new CatchUpOptions { PageSize = 2 });

        await subscription.RunToEndAsync();

        Assert.Equal(5, await checkpoints.LoadAsync("projection-a"));
    }

    [Fact]
    public async Task A_listener_is_woken_by_an_append_made_through_another_data_source()
    {
        await using var other = NpgsqlDataSource.Create(server.Server.ConnectionString);
        await using var writer = await OpenAsync(other);
        var signal = new AppendSignal();
        await using var listener = PostgresAppendListener.Start(server.DataSource, _schema, signal);
        await listener.Listening;
        var woken = signal.NextAppend;

        await writer.AppendAsync("run-1", ExpectedVersion.NoStream, [Events.New()]);

        await woken.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource) =>
        PostgresEventStore.OpenAsync(dataSource, new PostgresStoreOptions { Schema = _schema });
}
