namespace Federated.Worker;

/// <summary>Training a shard gave a loss or an update that is not finite; the worker gives the shard back
/// (<see cref="Contracts.ShardFailed"/>) with this message.</summary>
public sealed class TrainingDivergedException(int round, int shardId, float meanLoss, int nonFiniteIndex)
    : Exception($"training shard {shardId} of round {round} diverged: mean loss {meanLoss}"
        + (nonFiniteIndex >= 0 ? $", update value at index {nonFiniteIndex} is not finite" : "")
        + "; the base model or the settings do not train");
