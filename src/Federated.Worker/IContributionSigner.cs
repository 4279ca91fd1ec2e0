using Federated.Contracts;

namespace Federated.Worker;

/// <summary>The worker's identity: signs what it submits and how it announces itself, so the coordinator can tell
/// its messages from anyone else's. The address is also where the worker's payouts go.</summary>
public interface IContributionSigner
{
    /// <summary>EIP-55 address of the signing key.</summary>
    string Address { get; }

    /// <summary>The submission with its contribution signature (BaseModelHash, Deadline, Signer, Signature set).</summary>
    ShardTrained Sign(ShardTrained trained, TrainShard task);

    /// <summary>The announcement with its registration signature (Address, IssuedAt, Signature set).</summary>
    WorkerAvailable Sign(WorkerAvailable announcement, DateTimeOffset now);

    /// <summary>The lease given back, signed (IssuedAt, Signature set).</summary>
    ShardFailed Sign(ShardFailed failure, DateTimeOffset now);

    /// <summary>The goodbye, signed (IssuedAt, Signature set).</summary>
    WorkerLeaving Sign(WorkerLeaving leaving, DateTimeOffset now);
}
