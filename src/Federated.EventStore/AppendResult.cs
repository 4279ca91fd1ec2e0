namespace Federated.EventStore;

/// <param name="NextExpectedVersion">The stream's version after the append (the last event's StreamVersion).</param>
/// <param name="LastGlobalPosition">Global position of the last appended event.</param>
public sealed record AppendResult(long NextExpectedVersion, long LastGlobalPosition);
