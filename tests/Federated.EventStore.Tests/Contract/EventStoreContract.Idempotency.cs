using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Re_appending_the_same_batch_returns_the_original_result()
    {
        var batch = TestEvents.Numbered(3);
        var original = await AppendAsync("run-1", ExpectedVersion.NoStream, batch);
        await AppendAsync("other", ExpectedVersion.NoStream, TestEvents.New());

        var retried = await AppendAsync("run-1", ExpectedVersion.NoStream, batch);

        Assert.Equal(original, retried);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(200)] // large enough for a bulk path (PostgreSQL: binary COPY)
    public async Task Re_appending_a_batch_with_any_version_returns_the_original_result_and_adds_nothing(int size)
    {
        var batch = TestEvents.Numbered(size);
        var original = await AppendAsync("run-1", ExpectedVersion.Any, batch);
        await AppendAsync("other", ExpectedVersion.NoStream, TestEvents.New());

        var retried = await AppendAsync("run-1", ExpectedVersion.Any, batch);

        Assert.Equal(original, retried);
        Assert.Equal(size + 1, await Store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Re_appending_the_same_batch_adds_nothing()
    {
        var batch = TestEvents.Numbered(3);
        await AppendAsync("run-1", ExpectedVersion.NoStream, batch);

        await AppendAsync("run-1", ExpectedVersion.NoStream, batch);

        Assert.Equal(3, await Store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Re_appending_an_earlier_batch_after_the_stream_moved_on_returns_its_original_result()
    {
        var first = TestEvents.Numbered(2);
        var original = await AppendAsync("run-1", ExpectedVersion.NoStream, first);
        await AppendAsync("run-1", ExpectedVersion.Exact(1), TestEvents.New());

        var retried = await AppendAsync("run-1", ExpectedVersion.NoStream, first);

        Assert.Equal(original, retried);
    }

    [Fact]
    public async Task A_batch_only_partly_stored_already_is_rejected()
    {
        var batch = TestEvents.Numbered(2);
        await AppendAsync("run-1", ExpectedVersion.NoStream, batch[0]);

        await Assert.ThrowsAsync<EventIdConflictException>(() => AppendAsync("run-1", ExpectedVersion.Any, batch));
    }

    [Fact]
    public async Task A_rejected_partial_batch_writes_nothing()
    {
        var batch = TestEvents.Numbered(2);
        await AppendAsync("run-1", ExpectedVersion.NoStream, batch[0]);

        await Assert.ThrowsAsync<EventIdConflictException>(() => AppendAsync("run-1", ExpectedVersion.Any, batch));

        Assert.Equal(1, await Store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task An_event_id_already_stored_in_another_stream_is_rejected()
    {
        var e = TestEvents.New();
        await AppendAsync("run-1", ExpectedVersion.NoStream, e);

        await Assert.ThrowsAsync<EventIdConflictException>(() => AppendAsync("run-2", ExpectedVersion.NoStream, e));
    }

    [Fact]
    public async Task A_stored_batch_resent_in_another_order_is_rejected()
    {
        var batch = TestEvents.Numbered(2);
        await AppendAsync("run-1", ExpectedVersion.NoStream, batch);

        await Assert.ThrowsAsync<EventIdConflictException>(() => AppendAsync("run-1", ExpectedVersion.Any, batch[1], batch[0]));
    }
}
