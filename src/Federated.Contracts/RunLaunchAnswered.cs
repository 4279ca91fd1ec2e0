namespace Federated.Contracts;

/// <summary>Coordinator -> `fed launch`: the run id, or why the spec was refused.</summary>
public sealed record RunLaunchAnswered
{
    public required string RequestId { get; init; }
    public string? RunId { get; init; }
    public string? Error { get; init; }
}
