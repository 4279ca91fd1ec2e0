namespace Federated.Contracts;

/// <summary>Coordinator -> admin: the run was stopped, or why the request was refused.</summary>
public sealed record RunStopAnswered
{
    public required string RequestId { get; init; }
    public required string RunId { get; init; }
    public string? Error { get; init; }
}
