namespace Federated.EventStore.Backends;

/// <summary>
/// What every backend shares around its own SQL: each call's arguments are checked (<see cref="StoreArguments"/>) before
/// the backend sees them, so a bad call fails the same way on every backend, and <see cref="Appended"/> is raised after
/// each append commits. A backend writes only the Core methods.
/// </summary>
public abstract class EventStoreBackend : IEventStore
{
    /// <summary>Raised after each append of this instance commits (a backend may raise it for other processes' appends
    /// too); pass it to CatchUpOptions.WakeUp.</summary>
    public AppendSignal Appended { get; } = new();

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        StoreArguments.Append(streamId, expected, events);
        var result = await AppendCoreAsync(streamId, expected, events, cancellationToken).ConfigureAwait(false);
        Appended.Notify();
        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.ReadStream(streamId, direction, fromVersion, maxCount);
        return ReadStreamCore(streamId, direction == ReadDirection.Forward, fromVersion, maxCount, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.ReadAll(fromPositionExclusive, maxCount);
        return ReadAllCore(fromPositionExclusive, maxCount, cancellationToken);
    }

    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreArguments.StreamId(streamId);
        return GetStreamVersionCoreAsync(streamId, cancellationToken);
    }

    public abstract Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a checked batch under the rules of <see cref="AppendRules"/>.</summary>
    protected abstract Task<AppendResult> AppendCoreAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken);

    protected abstract IAsyncEnumerable<RecordedEvent> ReadStreamCore(string streamId, bool forward, long fromVersion, int maxCount, CancellationToken cancellationToken);

    protected abstract IAsyncEnumerable<RecordedEvent> ReadAllCore(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken);

    protected abstract Task<long> GetStreamVersionCoreAsync(string streamId, CancellationToken cancellationToken);
}
