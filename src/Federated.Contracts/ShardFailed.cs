namespace Federated.Contracts;

/// <summary>Worker -> coordinator: the worker could not train the shard (e.g. a blob failed its hash check).</summary>
public sealed record ShardFailed
{
    public required string RunId { get; init; }
    public required int Round { get; init; }
    public required int ShardId { get; init; }
    public required string LeaseId { get; init; }
    public required string WorkerId { get; init; }
    public required string Error { get; init; }
    // Signed by the worker (EIP-712 WorkerNotice("shard-failed", LeaseId)), so only the lease holder gives a lease back.
    public long? IssuedAt { get; init; }
    public string? Signature { get; init; }
}
