namespace Federated.Contracts;

/// <summary>`fed launch` -> coordinator: start a run from this spec (JSON, as `fed run` reads it).</summary>
public sealed record LaunchRunRequested
{
    public required string RequestId { get; init; }
    public required string SpecJson { get; init; }

    // The consortium admin's credential: an EIP-712 AdminAction("launch-run", RequestId, keccak256(SpecJson), IssuedAt).
    public string? Admin { get; init; }
    public long? IssuedAt { get; init; }
    public string? Signature { get; init; }
}
