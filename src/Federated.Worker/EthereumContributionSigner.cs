using Federated.Chain.Attestations;
using Federated.Chain.Signing;
using Federated.Contracts;

namespace Federated.Worker;

/// <summary>Signs with a secp256k1 key under the Federated EIP-712 domain (RFC 6979 nonces, low s).</summary>
public sealed class EthereumContributionSigner : IContributionSigner
{
    private readonly byte[] _privateKey;

    /// <exception cref="SignatureException">The key is not a valid secp256k1 private key.</exception>
    public EthereumContributionSigner(ReadOnlySpan<byte> privateKey)
    {
        _privateKey = privateKey.ToArray();
        Address = EthSigner.AddressOf(_privateKey).ToChecksumString();
    }

    public string Address { get; }

    public ShardTrained Sign(ShardTrained trained, TrainShard task)
    {
        // The signature stays valid as long as the lease: rounded up to the second, since EIP-712 carries whole seconds.
        var deadline = (task.LeaseExpiresAt.ToUnixTimeMilliseconds() + 999) / 1000;
        var contribution = new Contribution(trained.RunId, trained.Round, trained.ShardId, trained.LeaseId, task.BaseModelHash,
            trained.UpdateHash, trained.Tokens, deadline);
        var signature = Secp256k1.Sign(contribution.Digest(FederatedDomain.For(task.ChainId)), _privateKey);
        return trained with { BaseModelHash = task.BaseModelHash, Deadline = deadline, Signer = Address, Signature = signature.ToHex() };
    }

    public WorkerAvailable Sign(WorkerAvailable announcement, DateTimeOffset now)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        var registration = new WorkerRegistration(announcement.WorkerId, announcement.Endpoint, issuedAt);
        var signature = Secp256k1.Sign(registration.Digest(FederatedDomain.For()), _privateKey);
        return announcement with { Address = Address, IssuedAt = issuedAt, Signature = signature.ToHex() };
    }

    public ShardFailed Sign(ShardFailed failure, DateTimeOffset now)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        return failure with { IssuedAt = issuedAt, Signature = SignNotice(new WorkerNotice(failure.WorkerId, WorkerNotice.ShardFailed, failure.LeaseId, issuedAt)) };
    }

    public WorkerLeaving Sign(WorkerLeaving leaving, DateTimeOffset now)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        return leaving with { IssuedAt = issuedAt, Signature = SignNotice(new WorkerNotice(leaving.WorkerId, WorkerNotice.Leaving, leaving.Reason, issuedAt)) };
    }

    private string SignNotice(WorkerNotice notice) => Secp256k1.Sign(notice.Digest(FederatedDomain.For()), _privateKey).ToHex();
}
