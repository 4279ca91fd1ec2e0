namespace Federated.EventStore;

/// <summary>
/// Argument rules every backend applies the same way, so a bad call fails identically on SQLite and
/// PostgreSQL, before anything touches the database.
/// </summary>
public static class StoreArguments
{
    /// <summary>Longest stream id or event type accepted, in UTF-16 code units.</summary>
    public const int MaxNameLength = 256;

    /// <summary>A stream id is non-empty, not only whitespace, at most <see cref="MaxNameLength"/> long, without control characters.</summary>
    public static void StreamId(string streamId, string paramName = "streamId") =>
        Name(streamId, "stream id", paramName);

    /// <summary>An event type follows the same rules as a stream id.</summary>
    public static void EventType(string eventType, string paramName = "eventType") =>
        Name(eventType, "event type", paramName);

    /// <summary>Everything <see cref="IEventStoreWriter.AppendAsync"/> checks before it touches the database.</summary>
    public static void Append(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        StreamId(streamId);
        ExpectedVersion(expected);
        Batch(events);
    }

    /// <summary>Everything <see cref="IEventStoreReader.ReadStreamAsync"/> checks before it touches the database.</summary>
    public static void ReadStream(string streamId, ReadDirection direction, long fromVersion, int maxCount)
    {
        StreamId(streamId);
        if (direction is not (ReadDirection.Forward or ReadDirection.Backward))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Direction must be Forward or Backward.");
        }

        NotNegative(fromVersion, nameof(fromVersion));
        MaxCount(maxCount);
    }

    /// <summary>Everything <see cref="IEventStoreReader.ReadAllAsync"/> checks before it touches the database.</summary>
    public static void ReadAll(long fromPositionExclusive, int maxCount)
    {
        NotNegative(fromPositionExclusive, nameof(fromPositionExclusive));
        MaxCount(maxCount);
    }

    public static void ExpectedVersion(ExpectedVersion expected, string paramName = "expected")
    {
        if (expected.Value < -2)
        {
            throw new ArgumentOutOfRangeException(paramName, expected.Value, "Expected version must be ExpectedVersion.Any, NoStream or Exact(version >= 0).");
        }
    }

    /// <summary>A batch has at least one event, no null entries, no empty ids, valid types and no id twice.</summary>
    public static void Batch(IReadOnlyList<EventData> events, string paramName = "events")
    {
        ArgumentNullException.ThrowIfNull(events, paramName);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event; the batch is empty.", paramName);
        }

        var seen = new HashSet<Guid>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} of the batch is null.", paramName);
            if (e.EventId == Guid.Empty)
            {
                throw new ArgumentException($"Event {i} of the batch ({e.EventType}) has an empty event id.", paramName);
            }

            if (!seen.Add(e.EventId))
            {
                throw new ArgumentException($"Event id {e.EventId} appears twice in the batch (again at index {i}).", paramName);
            }

            Name(e.EventType, "event type", paramName);
        }
    }

    public static void MaxCount(int maxCount, string paramName = "maxCount")
    {
        if (maxCount <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, maxCount, "maxCount must be at least 1.");
        }
    }

    public static void NotNegative(long value, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }
    }

    /// <summary>A subscription (checkpoint) id follows the same rules as a stream id.</summary>
    public static void SubscriptionId(string subscriptionId, string paramName = "subscriptionId") =>
        Name(subscriptionId, "subscription id", paramName);

    private static void Name(string value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"A {what} must not be empty or whitespace.", paramName);
        }

        if (value.Length > MaxNameLength)
        {
            throw new ArgumentException($"A {what} is at most {MaxNameLength} characters; got {value.Length}.", paramName);
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                throw new ArgumentException($"A {what} must not contain control characters; found U+{(int)value[i]:X4} at index {i}.", paramName);
            }
        }
    }
}
