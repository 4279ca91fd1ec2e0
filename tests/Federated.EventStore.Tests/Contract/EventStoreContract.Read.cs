using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Reading_a_stream_forward_returns_its_events_in_version_order()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));

        var events = await ReadForwardAsync("run-1");

        Assert.Equal([0L, 1L, 2L], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Reading_a_stream_forward_from_a_version_starts_at_that_version()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(5));

        var events = await ReadForwardAsync("run-1", fromVersion: 3);

        Assert.Equal([3L, 4L], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Reading_a_stream_forward_stops_at_maxCount()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(5));

        var events = await ReadForwardAsync("run-1", fromVersion: 1, maxCount: 2);

        Assert.Equal([1L, 2L], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Reading_a_stream_backward_from_the_end_returns_newest_first()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));

        var events = await ReadBackwardAsync("run-1");

        Assert.Equal([2L, 1L, 0L], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Reading_a_stream_backward_from_a_version_stops_at_maxCount()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(5));

        var events = await ReadBackwardAsync("run-1", fromVersion: 3, maxCount: 2);

        Assert.Equal([3L, 2L], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Reading_a_stream_returns_only_that_streams_events()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());
        await AppendAsync("run-2", ExpectedVersion.NoStream, TestEvents.Numbered(2));
        await AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.New());

        var events = await ReadForwardAsync("run-1");

        Assert.All(events, e => Assert.Equal("run-1", e.StreamId));
    }

    [Fact]
    public async Task Reading_a_missing_stream_yields_nothing()
    {
        Assert.Empty(await ReadForwardAsync("nowhere"));
    }

    [Fact]
    public async Task A_missing_stream_has_version_minus_one()
    {
        Assert.Equal(-1, await Store.GetStreamVersionAsync("nowhere"));
    }

    [Fact]
    public async Task A_streams_version_is_its_last_events_version()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(4));

        Assert.Equal(3, await Store.GetStreamVersionAsync("run-1"));
    }

    [Fact]
    public async Task An_empty_store_has_head_position_zero()
    {
        Assert.Equal(0, await Store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Reading_all_from_a_position_excludes_that_position()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(5));

        var events = await ReadAllAsync(fromPositionExclusive: 2);

        Assert.Equal([3L, 4L, 5L], events.Select(e => e.GlobalPosition));
    }

    [Fact]
    public async Task Reading_all_page_by_page_returns_every_event_once_in_order()
    {
        for (var i = 0; i < 7; i++)
        {
            await AppendAsync($"run-{i % 3}", ExpectedVersion.Any, TestEvents.New());
        }

        var positions = new List<long>();
        for (List<RecordedEvent> page; (page = await ReadAllAsync(positions.LastOrDefault(), maxCount: 3)).Count > 0;)
        {
            positions.AddRange(page.Select(e => e.GlobalPosition));
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], positions);
    }

    [Fact]
    public async Task Global_positions_across_streams_are_contiguous_from_one()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));
        await AppendAsync("run-2", ExpectedVersion.NoStream, TestEvents.Numbered(3));
        await AppendAsync("run-1", ExpectedVersion.Exact(1), TestEvents.New());

        var events = await ReadAllAsync();

        Assert.Equal(Enumerable.Range(1, 6).Select(p => (long)p), events.Select(e => e.GlobalPosition));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Reading_with_maxCount_below_one_throws_ArgumentException(int maxCount)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadAllAsync(0, maxCount).ToListAsync());
    }

    [Fact]
    public async Task Reading_an_empty_stream_id_throws_ArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadStreamAsync("", ReadDirection.Forward, 0, 10).ToListAsync());
    }
}
