using MassTransit;

namespace Federated.Worker;

/// <summary>A worker's own queue: the coordinator sends it shard tasks there, one at a time.</summary>
public static class WorkerEndpoint
{
    public static string QueueNameFor(string workerId) => $"fed-worker-{workerId}";

    public static string AddressFor(string workerId) => $"queue:{QueueNameFor(workerId)}";

    /// <param name="queue">When given, tasks are acknowledged on arrival and trained in the background (see
    /// <see cref="ShardTrainingQueue"/>); without it they are trained inside the consumer.</param>
    public static void Configure(IReceiveEndpointConfigurator endpoint, ShardWorker worker, ShardTrainingQueue? queue = null)
    {
        // Training uses the worker's cores; a second task at once would only slow both down.
        endpoint.ConcurrentMessageLimit = 1;
        // Nor should a busy worker hold tasks back from the broker that an idle one could take.
        endpoint.PrefetchCount = 1;
        // Tasks come addressed to this queue (Send), never published: binding the TrainShard exchange to it would only
        // need broker rights a worker's user does not have (scripts/provision/rabbitmq-users.sh). Nor does anyone
        // consume Fault<TrainShard>; a failed task still goes to fed-worker-<id>_error.
        endpoint.ConfigureConsumeTopology = false;
        endpoint.PublishFaults = false;
        endpoint.Consumer(() => new TrainShardConsumer(worker, queue));
    }
}
