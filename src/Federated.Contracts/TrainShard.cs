namespace Federated.Contracts;

/// <summary>
/// Coordinator -> one worker: train a shard from a base model under a lease. Weights and data travel as
/// blob hashes (SHA-256 hex), never inline; the worker verifies what it downloads.
/// </summary>
public sealed record TrainShard
{
    public required string RunId { get; init; }
    public required int Round { get; init; }
    public required int ShardId { get; init; }
    public required string LeaseId { get; init; }
    public required string WorkerId { get; init; }
    public required string BaseModelHash { get; init; }
    public required string ShardDataHash { get; init; }
    public required string ModelFamily { get; init; }
    public required IReadOnlyDictionary<string, int> ModelSettings { get; init; }
    public required int LocalSteps { get; init; }
    public required int BatchSize { get; init; }
    public required float LearningRate { get; init; }
    public float WeightDecay { get; init; }
    public required ulong Seed { get; init; }
    public required DateTimeOffset LeaseExpiresAt { get; init; }
    /// <summary>The chain id of the EIP-712 domain the worker signs its contribution under.</summary>
    public long? ChainId { get; init; }
    /// <summary>The credential for the coordinator's blob server that covers this lease: it lets the worker download the
    /// base model and shard named here and upload its update while the lease is open. Null in the embedded deployment.</summary>
    public string? BlobToken { get; init; }
}
