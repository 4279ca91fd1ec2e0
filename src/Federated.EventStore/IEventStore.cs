namespace Federated.EventStore;

public enum ReadDirection
{
    Forward,
    Backward,
}

/// <summary>Write side of the store.</summary>
public interface IEventStoreWriter
{
    /// <summary>
    /// Appends events atomically. Throws <see cref="WrongExpectedVersionException"/> (and writes nothing)
    /// when the stream's version differs from <paramref name="expected"/>. Appending a batch whose event ids
    /// are all already stored in this stream, in the same order, is a no-op returning the original result.
    /// </summary>
    Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);
}

/// <summary>Read side of the store.</summary>
public interface IEventStoreReader
{
    /// <summary>Reads a stream from <paramref name="fromVersion"/> (inclusive) in the given direction.
    /// Backward from <see cref="long.MaxValue"/> starts at the end. A missing stream yields nothing.</summary>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads the whole log forward from <paramref name="fromPositionExclusive"/> (0 = from the start).</summary>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The stream's current version (last event's StreamVersion), or -1 when it does not exist.</summary>
    Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Global position of the last event in the store, 0 when empty.</summary>
    Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);
}

public interface IEventStore : IEventStoreReader, IEventStoreWriter;
