namespace Federated.Coordinator.Runs;

/// <summary>A worker message names a run the event log does not hold: the message is faulty and cannot be recorded in any run.</summary>
public sealed class UnknownRunException(string runId, string messageType)
    : Exception($"{messageType} names run '{runId}', which the event log does not hold")
{
    public string RunId { get; } = runId;
}

/// <summary>A worker message for a run that is running in the log but not loaded by this coordinator yet (it is
/// starting up): handle it again shortly rather than drop it.</summary>
public sealed class RunNotLoadedException(string runId, string messageType)
    : Exception($"{messageType} for run '{runId}', which is running but not loaded by this coordinator yet")
{
    public string RunId { get; } = runId;
}
