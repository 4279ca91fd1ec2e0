namespace Federated.Contracts;

/// <summary>Worker -> coordinator: the update for a leased shard is in the blob store under <see cref="UpdateHash"/>.</summary>
public sealed record ShardTrained
{
    public required string RunId { get; init; }
    public required int Round { get; init; }
    public required int ShardId { get; init; }
    public required string LeaseId { get; init; }
    public required string WorkerId { get; init; }
    public required string UpdateHash { get; init; }
    public required long Tokens { get; init; }
    public required float TrainLoss { get; init; }
    public double ElapsedSeconds { get; init; }

    // Signed submissions (optional on the wire, so unsigned senders still parse; the coordinator decides whether
    // it accepts them). The EIP-712 "Contribution" signature binds RunId, Round, ShardId, LeaseId, BaseModelHash,
    // UpdateHash, Tokens and Deadline under the domain of TrainShard.ChainId.

    /// <summary>The base model the worker trained from (TrainShard.BaseModelHash), as signed.</summary>
    public string? BaseModelHash { get; init; }
    /// <summary>Unix seconds after which the signature is no longer valid (the lease's expiry, as signed).</summary>
    public long? Deadline { get; init; }
    /// <summary>The worker's Ethereum address (EIP-55), the one it registered with.</summary>
    public string? Signer { get; init; }
    /// <summary>r || s || v, 65 bytes hex.</summary>
    public string? Signature { get; init; }
}
