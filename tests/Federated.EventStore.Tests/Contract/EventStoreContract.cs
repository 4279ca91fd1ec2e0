using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

/// <summary>
/// What every event store backend must do. A backend's test class derives from this and only says how to
/// make a fresh, empty store; every fact here then runs against it.
/// </summary>
public abstract partial class EventStoreContract : IAsyncLifetime
{
    private StoreUnderTest? _underTest;

    /// <summary>Has a sub-millisecond part on purpose: stores keep whole milliseconds.</summary>
    protected TestClock Clock { get; } = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero).AddTicks(1234));

    protected IEventStore Store => _underTest?.Store ?? throw new InvalidOperationException("The store is not created yet.");

    protected ICheckpointStore Checkpoints => _underTest?.Checkpoints ?? throw new InvalidOperationException("The store is not created yet.");

    /// <summary>A fresh, empty store whose recording times come from <paramref name="clock"/>.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync(TimeProvider clock);

    public async Task InitializeAsync() => _underTest = await CreateStoreAsync(Clock);

    public async Task DisposeAsync()
    {
        if (_underTest is not null)
        {
            await _underTest.DisposeAsync();
        }
    }

    protected Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, params EventData[] events) =>
        Store.AppendAsync(streamId, expected, events);

    protected Task<List<RecordedEvent>> ReadForwardAsync(string streamId, long fromVersion = 0, int maxCount = 1000) =>
        Store.ReadStreamAsync(streamId, ReadDirection.Forward, fromVersion, maxCount).ToListAsync();

    protected Task<List<RecordedEvent>> ReadBackwardAsync(string streamId, long fromVersion = long.MaxValue, int maxCount = 1000) =>
        Store.ReadStreamAsync(streamId, ReadDirection.Backward, fromVersion, maxCount).ToListAsync();

    protected Task<List<RecordedEvent>> ReadAllAsync(long fromPositionExclusive = 0, int maxCount = 1000) =>
        Store.ReadAllAsync(fromPositionExclusive, maxCount).ToListAsync();
}
