using Federated.Coordinator.Runs;
using Federated.EventStore;
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
        // A store outage (PostgreSQL restarting) or a run still being resumed is not the message's fault: keep it
        // here, retrying for about half a minute, before the bus-wide bounded retry and the error queue come into play.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<EventStoreException>();
            r.Handle<RunNotLoadedException>();
            r.Interval(30, TimeSpan.FromSeconds(1));
        });
        endpoint.Consumer(() => new ShardTrainedConsumer(coordinator));
        endpoint.Consumer(() => new ShardFailedConsumer(coordinator));
        endpoint.Consumer(() => new WorkerAvailableConsumer(coordinator));
        endpoint.Consumer(() => new WorkerLeavingConsumer(coordinator));
        endpoint.Consumer(() => new MessageFaultConsumer(coordinator));
        endpoint.Consumer(() => new StopRunRequestedConsumer(coordinator));
        if (host is not null) endpoint.Consumer(() => new LaunchRunRequestedConsumer(host));
    }
}
