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
}
