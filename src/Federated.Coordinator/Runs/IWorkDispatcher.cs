using Federated.Contracts;

namespace Federated.Coordinator.Runs;

/// <summary>Delivers a shard task to one worker's endpoint (MassTransit in production and the demo).</summary>
public interface IWorkDispatcher
{
    Task SendAsync(string endpoint, TrainShard task, CancellationToken cancellationToken = default);
}
