namespace Federated.Contracts;

/// <summary>A worker shuts down cleanly; its leases will expire and be handed to others.</summary>
public sealed record WorkerLeaving
{
    public required string WorkerId { get; init; }
    public string Reason { get; init; } = "shutdown";
}
