using MassTransit;

namespace Federated.Worker;

/// <summary>A worker's own queue: the coordinator sends it shard tasks there, one at a time.</summary>
public static class WorkerEndpoint
{
    public static string QueueNameFor(string workerId) => $"fed-worker-{workerId}";

    public static string AddressFor(string workerId) => $"queue:{QueueNameFor(workerId)}";

    public static void Configure(IReceiveEndpointConfigurator endpoint, ShardWorker worker)
    {
        // Training uses the worker's cores; a second task at once would only slow both down.
        endpoint.ConcurrentMessageLimit = 1;
        endpoint.Consumer(() => new TrainShardConsumer(worker));
    }
}
