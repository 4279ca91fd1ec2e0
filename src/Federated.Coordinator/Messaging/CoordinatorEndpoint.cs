using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>The coordinator's receive endpoint and its consumers, for any transport.</summary>
public static class CoordinatorEndpoint
{
    public const string QueueName = "fed-coordinator";

    public static void Configure(IReceiveEndpointConfigurator endpoint, RunCoordinator coordinator, CoordinatorHost? host = null)
    {
        // Run commands are serialised per run by RunSession; a small limit keeps update validation parallel but bounded.
        endpoint.ConcurrentMessageLimit = 4;
        endpoint.Consumer(() => new ShardTrainedConsumer(coordinator));
        endpoint.Consumer(() => new ShardFailedConsumer(coordinator));
        endpoint.Consumer(() => new WorkerAvailableConsumer(coordinator));
        endpoint.Consumer(() => new WorkerLeavingConsumer(coordinator));
        endpoint.Consumer(() => new StopRunRequestedConsumer(coordinator));
        if (host is not null) endpoint.Consumer(() => new LaunchRunRequestedConsumer(host));
    }
}
