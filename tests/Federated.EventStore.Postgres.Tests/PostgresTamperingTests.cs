using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Postgres.Tests;

/// <summary>Rows changed behind the store's back, with plain SQL, are caught by the verifier at the right position.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTamperingTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServerFixture.NewSchemaName();
    private PostgresEventStore? _store;

    private PostgresEventStore Store => _store!;

    public async Task InitializeAsync()
    {
        _store = await PostgresEventStore.OpenAsync(server.DataSource, new PostgresStoreOptions { Schema = _schema });
        await Store.AppendAsync("run-1", ExpectedVersion.NoStream, Events.Numbered(3));
        await Store.AppendAsync("run-2", ExpectedVersion.NoStream, Events.Numbered(2));
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await server.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task Changing_an_events_data_is_reported_as_a_hash_mismatch_at_its_position()
    {
        await server.ExecuteAsync($"UPDATE \"{_schema}\".events SET data = convert_to('{{\"n\":99}}', 'UTF8') WHERE global_position = 3");

        var failure = (await new EventLogVerifier(Store).VerifyAsync()).Failure;

        Assert.Equal((3L, "hash mismatch: stored event was modified"), (failure?.GlobalPosition, failure?.Reason));
    }

    [Fact]
    public async Task Rewriting_an_events_hash_breaks_the_chain_at_the_next_event()
    {
        await server.ExecuteAsync(
            $"UPDATE \"{_schema}\".events SET data = convert_to('{{}}', 'UTF8'), hash = sha256(hash) WHERE global_position = 2");

        var failure = (await new EventLogVerifier(Store).VerifyAsync()).Failure;

        Assert.Equal(2L, failure?.GlobalPosition);
    }

    [Fact]
    public async Task Deleting_an_event_is_reported_as_a_gap_at_its_position()
    {
        await server.ExecuteAsync($"DELETE FROM \"{_schema}\".events WHERE global_position = 4");

        var failure = (await new EventLogVerifier(Store).VerifyAsync()).Failure;

        Assert.Equal((5L, "gap in global positions: event 4 is missing"), (failure?.GlobalPosition, failure?.Reason));
    }
}
