using Federated.Chain;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Rewards;

/// <summary>Where a worker's rewards go. The seam for worker keystores (the trust work): a registry of addresses the
/// workers proved they hold replaces the demo's derived keys.</summary>
public interface IWorkerAddressBook
{
    EthereumAddress AddressOf(string workerId);
}

/// <summary>Demo keys: each worker's key is keccak256("federated-demo-worker/{seed}/{workerId}"), so a seeded demo pays
/// the same addresses every time. Anyone who knows the seed holds these keys: for demos and tests only.</summary>
public sealed class SeedDerivedWorkerKeys(ulong seed) : IWorkerAddressBook
{
    public byte[] PrivateKeyOf(string workerId) => Keccak256.HashUtf8($"federated-demo-worker/{seed}/{workerId}");

    public EthereumAddress AddressOf(string workerId) => EthSigner.AddressOf(PrivateKeyOf(workerId));
}
