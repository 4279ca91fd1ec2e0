using Federated.Chain.Rpc;

namespace Federated.Rewards;

/// <summary>The chain side of paying rounds: the node, the deployed distributor, the coordinator's signing account and
/// its nonce lane.</summary>
public sealed class PayoutChain
{
    public PayoutChain(EthereumRpcClient client, RewardDistributorContract distributor, TransactionSender coordinator)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Distributor = distributor ?? throw new ArgumentNullException(nameof(distributor));
        Coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        Lane = new NonceLane(client, coordinator.Address);
    }

    public EthereumRpcClient Client { get; }
    public RewardDistributorContract Distributor { get; }
    public TransactionSender Coordinator { get; }
    public NonceLane Lane { get; }
}
