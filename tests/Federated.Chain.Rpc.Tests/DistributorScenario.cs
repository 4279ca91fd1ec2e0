using System.Numerics;
using Federated.Chain.Hashing;

namespace Federated.Chain.Rpc.Tests;

/// <summary>A freshly deployed RewardDistributor with its admin and coordinator senders.</summary>
internal sealed record DistributorScenario(
    RewardDistributorContract Distributor, TransactionSender Admin, TransactionSender Coordinator, TestAccount AdminAccount, TestAccount CoordinatorAccount)
{
    public static readonly BigInteger Token = BigInteger.Pow(10, 18);
    public static readonly BigInteger Budget = 1_000_000_000 * Token;

    public static async Task<DistributorScenario> DeployAsync(AnvilFixture anvil, TransactionSenderOptions? coordinatorOptions = null)
    {
        var admin = await anvil.AccountAsync("admin", 1000);
        var coordinator = await anvil.AccountAsync("coordinator", 1000);
        var adminSender = anvil.Sender(admin);
        var distributor = await RewardDistributorContract.DeployAsync(
            new ContractDeployer(adminSender),
            ContractArtifact.Load(RepositoryPaths.Artifact("RewardDistributor")),
            new RewardDistributorSettings("Federated Reward", "FEDR", Budget, admin.Address, coordinator.Address));
        var coordinatorSender = coordinatorOptions is null ? anvil.Sender(coordinator) : anvil.Sender(coordinator, coordinatorOptions);
        return new DistributorScenario(distributor, adminSender, coordinatorSender, admin, coordinator);
    }

    public static byte[] Commitment(string round) => Keccak256.HashUtf8("round-commitment:" + round);

    public static EthereumAddress Recipient(string name) => TestAccount.Named("recipient:" + name).Address;
}
