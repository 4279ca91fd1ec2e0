namespace Federated.EventStore;

/// <summary>The stream's version is not what the writer expected; nothing was written.</summary>
public sealed class WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actual)
    : Exception($"Stream '{streamId}': expected version {expected}, but the stream is at {(actual < 0 ? "no stream" : actual.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Nothing was written.")
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public long ActualVersion { get; } = actual;
}
