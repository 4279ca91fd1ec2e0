namespace Federated.Contracts;

/// <summary>Admin -> coordinator: stop a running run. Signed like <see cref="LaunchRunRequested"/>:
/// AdminAction("stop-run", RunId, keccak256(Reason), IssuedAt) by a consortium admin key.</summary>
public sealed record StopRunRequested
{
    public required string RequestId { get; init; }
    public required string RunId { get; init; }
    public required string Reason { get; init; }
    public string? Admin { get; init; }
    public long? IssuedAt { get; init; }
    public string? Signature { get; init; }
}
