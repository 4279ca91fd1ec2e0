using Federated.Chain;

namespace Federated.Rewards;

/// <summary>A worker's reward goes to the address it registered with: the one its signed registration proved it holds
/// (WorkerIdentified in the run's log). A worker that never signed has no address, and its round cannot be paid.</summary>
public sealed class RegisteredWorkerAddresses(AggregatedRound round) : IWorkerAddressBook
{
    /// <exception cref="UnregisteredWorkerException">The worker earned a share but never proved an address.</exception>
    public EthereumAddress AddressOf(string workerId)
    {
        if (round.RegisteredAddresses?.GetValueOrDefault(workerId) is { } address) return EthereumAddress.Parse(address);
        throw new UnregisteredWorkerException(
            $"worker {workerId} earned a share of round {round.Round.Round} of run {round.RunId} but has no registered address " +
            "(it did not sign its registration): give each worker a key (fed worker keygen, then --key-file or FED_WORKER_KEY) so it can be paid");
    }
}

/// <summary>A round cannot be paid because a worker in it has no registered address.</summary>
public sealed class UnregisteredWorkerException(string message) : Exception(message);
