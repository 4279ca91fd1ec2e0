using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>Sends shard tasks to a worker's queue through the bus.</summary>
public sealed class BusWorkDispatcher(Func<ISendEndpointProvider> bus) : IWorkDispatcher
{
    public async Task SendAsync(string endpoint, TrainShard task, CancellationToken cancellationToken = default)
    {
        var send = await bus().GetSendEndpoint(new Uri(endpoint));
        await send.Send(task, cancellationToken);
    }
}
