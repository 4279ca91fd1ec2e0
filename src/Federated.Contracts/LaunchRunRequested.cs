namespace Federated.Contracts;

/// <summary>`fed launch` -> coordinator: start a run from this spec (JSON, as `fed run` reads it).</summary>
public sealed record LaunchRunRequested
{
    public required string RequestId { get; init; }
    public required string SpecJson { get; init; }
}
