using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Verification;
using Npgsql;

namespace Federated.EventStore.Postgres.Tests;

/// <summary>
/// Two stores on two separate data sources (separate connection pools, as two processes would have) append to
/// one schema at once: the chain head lock must keep positions contiguous and the hash chain linear.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMultiWriterTests(PostgresServerFixture server) : IAsyncLifetime
{
    private const int WritersPerStore = 4;
    private const int AppendsPerWriter = 25;

    private readonly string _schema = PostgresServerFixture.NewSchemaName();
    private NpgsqlDataSource? _first;
    private NpgsqlDataSource? _second;

    public Task InitializeAsync()
    {
        _first = NpgsqlDataSource.Create(server.Server.ConnectionString);
        _second = NpgsqlDataSource.Create(server.Server.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first!.DisposeAsync();
        await _second!.DisposeAsync();
        await server.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task Concurrent_appenders_on_two_data_sources_leave_a_log_the_verifier_passes()
    {
        await using var one = await OpenAsync(_first!);
        await using var two = await OpenAsync(_second!);

        await RaceAsync(one, two, (store, writer) => AppendManyAsync(store, writer));

        var result = await new EventLogVerifier(one, pageSize: 64).VerifyAsync();
        Assert.Equal((true, 2L * WritersPerStore * AppendsPerWriter), (result.IsValid, result.EventsVerified));
    }

    [Fact]
    public async Task Appenders_on_two_data_sources_starting_the_same_stream_have_exactly_one_winner()
    {
        await using var one = await OpenAsync(_first!);
        await using var two = await OpenAsync(_second!);
        var wins = 0;

        await RaceAsync(one, two, async (store, _) =>
        {
            try
            {
                await store.AppendAsync("run-1", ExpectedVersion.NoStream, [Events.New()]);
                Interlocked.Increment(ref wins);
            }
            catch (WrongExpectedVersionException)
            {
                // Lost the race, as all but one must.
            }
        });

        Assert.Equal(1, wins);
    }

    private static async Task AppendManyAsync(PostgresEventStore store, int writer)
    {
        for (var i = 0; i < AppendsPerWriter; i++)
        {
            await store.AppendAsync($"run-{writer % 3}", ExpectedVersion.Any, [Events.New()]);
        }
    }

    private static async Task RaceAsync(PostgresEventStore one, PostgresEventStore two, Func<PostgresEventStore, int, Task> writer)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 2 * WritersPerStore)
            .Select(i => Task.Run(async () =>
            {
                start.Wait();
                await writer(i % 2 == 0 ? one : two, i);
            }))
            .ToArray();
        start.Set();
        await Task.WhenAll(tasks);
    }

    private Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource) =>
        PostgresEventStore.OpenAsync(dataSource, new PostgresStoreOptions { Schema = _schema });
}
