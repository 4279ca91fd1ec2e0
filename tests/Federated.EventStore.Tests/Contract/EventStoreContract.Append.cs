using System.Text;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Appending_to_a_new_stream_with_NoStream_puts_the_first_event_at_version_zero()
    {
        var result = await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());

        Assert.Equal(0, result.NextExpectedVersion);
    }

    [Fact]
    public async Task Appending_a_batch_returns_the_last_events_version_and_global_position()
    {
        await AppendAsync("other", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        var result = await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));

        Assert.Equal(new AppendResult(2, 5), result);
    }

    [Fact]
    public async Task Appending_with_NoStream_to_an_existing_stream_throws_WrongExpectedVersion()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New()));
    }

    [Fact]
    public async Task Appending_with_the_exact_current_version_appends_after_it()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        var result = await AppendAsync("run-1", ExpectedVersion.Exact(1), TestEvents.New());

        Assert.Equal(2, result.NextExpectedVersion);
    }

    [Fact]
    public async Task Appending_with_a_stale_version_throws_WrongExpectedVersion_with_the_actual_version()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));

        var e = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.New()));

        Assert.Equal((ExpectedVersion.Exact(0), 2L), (e.Expected, e.ActualVersion));
    }

    [Fact]
    public async Task Appending_with_an_exact_version_to_a_missing_stream_throws_WrongExpectedVersion()
    {
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.New()));
    }

    [Fact]
    public async Task A_stale_append_writes_nothing_to_the_stream()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.Numbered(3)));

        Assert.Equal(1, await Store.GetStreamVersionAsync("run-1"));
    }

    [Fact]
    public async Task A_stale_append_leaves_the_global_head_unchanged()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.Numbered(3)));

        Assert.Equal(2, await Store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Appending_with_Any_creates_a_missing_stream()
    {
        var result = await AppendAsync("run-1", ExpectedVersion.Any, TestEvents.New());

        Assert.Equal(0, result.NextExpectedVersion);
    }

    [Fact]
    public async Task Appending_with_Any_to_an_existing_stream_appends_at_its_end()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        var result = await AppendAsync("run-1", ExpectedVersion.Any, TestEvents.New());

        Assert.Equal(2, result.NextExpectedVersion);
    }

    [Fact]
    public async Task A_stored_event_keeps_its_id_type_data_and_metadata()
    {
        var sent = new EventData(Guid.NewGuid(), "RunLaunched.V1", Encoding.UTF8.GetBytes("""{"lr":0.001}"""), Encoding.UTF8.GetBytes("""{"by":"cli"}"""));
        await AppendAsync("run-1", ExpectedVersion.NoStream, sent);

        var stored = Assert.Single(await ReadAllAsync());

        Assert.Equal(sent.EventId, stored.EventId);
        Assert.Equal(sent.EventType, stored.EventType);
        Assert.Equal(sent.Data.ToArray(), stored.Data);
        Assert.Equal(sent.Metadata.ToArray(), stored.Metadata);
    }

    [Fact]
    public async Task An_event_without_metadata_reads_back_with_empty_metadata()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());

        var stored = Assert.Single(await ReadAllAsync());

        Assert.Empty(stored.Metadata);
    }

    [Fact]
    public async Task Recording_time_comes_from_the_clock_truncated_to_milliseconds()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());

        var stored = Assert.Single(await ReadAllAsync());

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Clock.Now.ToUnixTimeMilliseconds()), stored.RecordedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("run\n1")]
    public async Task Appending_to_an_invalid_stream_id_throws_ArgumentException(string streamId)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => AppendAsync(streamId, ExpectedVersion.Any, TestEvents.New()));
    }

    [Fact]
    public async Task Appending_an_empty_batch_throws_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync("run-1", ExpectedVersion.Any));
    }

    [Fact]
    public async Task Appending_a_batch_with_the_same_id_twice_throws_ArgumentException()
    {
        var e = TestEvents.New();

        await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync("run-1", ExpectedVersion.Any, e, e));
    }

    [Fact]
    public async Task Appending_an_event_with_an_empty_id_throws_ArgumentException()
    {
        var e = TestEvents.New() with { EventId = Guid.Empty };

        await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync("run-1", ExpectedVersion.Any, e));
    }
}
