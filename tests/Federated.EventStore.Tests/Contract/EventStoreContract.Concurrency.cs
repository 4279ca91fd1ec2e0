using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    private const int Writers = 8;

    [Fact]
    public async Task Concurrent_appenders_starting_the_same_stream_have_one_winner_and_the_rest_get_WrongExpectedVersion()
    {
        var outcomes = await RaceAsync(Writers, _ => AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New()));

        Assert.Equal((1, Writers - 1), (outcomes.Count(o => o is null), outcomes.Count(o => o is WrongExpectedVersionException)));
    }

    [Fact]
    public async Task Concurrent_appenders_at_the_same_version_have_one_winner_and_the_rest_get_WrongExpectedVersion()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));

        var outcomes = await RaceAsync(Writers, _ => AppendAsync("run-1", ExpectedVersion.Exact(2), TestEvents.New()));

        Assert.Equal((1, Writers - 1), (outcomes.Count(o => o is null), outcomes.Count(o => o is WrongExpectedVersionException)));
    }

    [Fact]
    public async Task Concurrent_appenders_retrying_on_conflict_fill_every_version_exactly_once()
    {
        const int eachWrites = 5;
        await RaceAsync(Writers, async _ =>
        {
            for (var written = 0; written < eachWrites;)
            {
                var version = await Store.GetStreamVersionAsync("run-1");
                var expected = version < 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(version);
                try
                {
                    await AppendAsync("run-1", expected, TestEvents.New());
                    written++;
                }
                catch (WrongExpectedVersionException)
                {
                    // Lost the race for this version; read the new one and try again.
                }
            }
        });

        var events = await ReadForwardAsync("run-1");

        Assert.Equal(Enumerable.Range(0, Writers * eachWrites).Select(v => (long)v), events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Concurrent_appenders_to_different_streams_keep_global_positions_contiguous()
    {
        await RaceAsync(Writers, async writer =>
        {
            for (var i = 0; i < 5; i++)
            {
                await AppendAsync($"run-{writer}", ExpectedVersion.Any, TestEvents.New());
            }
        });

        var events = await ReadAllAsync();

        Assert.Equal(Enumerable.Range(1, Writers * 5).Select(p => (long)p), events.Select(e => e.GlobalPosition));
    }

    /// <summary>Starts <paramref name="count"/> writers at once; returns each one's exception, or null when it succeeded.</summary>
    private static async Task<Exception?[]> RaceAsync(int count, Func<int, Task> writer)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await writer(i);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}
