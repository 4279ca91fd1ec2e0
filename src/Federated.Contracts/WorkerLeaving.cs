namespace Federated.Contracts;

/// <summary>A worker shuts down cleanly; its leases will expire and be handed to others.</summary>
public sealed record WorkerLeaving
{
    public required string WorkerId { get; init; }
    public string Reason { get; init; } = "shutdown";
    // Signed by the worker (EIP-712 WorkerNotice("leaving", Reason)), so nobody else can take it out of the runs.
    public long? IssuedAt { get; init; }
    public string? Signature { get; init; }
}
