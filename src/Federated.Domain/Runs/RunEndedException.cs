namespace Federated.Domain.Runs;

/// <summary>
/// A command for a run that has already completed or failed. A run's stream is closed by <c>RunCompleted</c> or
/// <c>RunFailed</c>: its replay, model and payouts are settled, so nothing may be appended after them, whoever sends
/// what. The application routes late messages elsewhere (<c>coordinator-late</c>) or refuses them.
/// </summary>
public sealed class RunEndedException(string runId, RunStatus status, string command)
    : DomainException($"run {runId} has {(status == RunStatus.Completed ? "completed" : "failed")}: its log is closed, {command} is not decided")
{
    public string RunId { get; } = runId;
    public RunStatus Status { get; } = status;
}
