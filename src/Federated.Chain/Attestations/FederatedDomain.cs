using System.Numerics;
using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>The EIP-712 domain every Federated signature is made under: name "Federated", version "1", the chain
/// the run pays out on, and optionally the distributor contract. A signature made for one chain or contract does
/// not verify for another.</summary>
public static class FederatedDomain
{
    public const string Name = "Federated";
    public const string Version = "1";

    /// <summary>The chain id used when a run spec names none: anvil's and hardhat's local chain.</summary>
    public const long DefaultChainId = 31337;

    public static Eip712Domain For(long? chainId = null, EthereumAddress? verifyingContract = null) => new()
    {
        Name = Name,
        Version = Version,
        ChainId = new BigInteger(chainId ?? DefaultChainId),
        VerifyingContract = verifyingContract,
    };
}
