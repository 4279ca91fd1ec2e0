using MassTransit;

namespace Federated.Messaging;

/// <summary>
/// Registers receive endpoints without knowing the transport. Callbacks get MassTransit's transport-neutral
/// <see cref="IReceiveEndpointConfigurator"/>, so <c>CoordinatorEndpoint.Configure</c> and
/// <c>WorkerEndpoint.Configure</c> plug in unchanged.
/// </summary>
public interface IEndpointRegistrar
{
    /// <summary>The settings the bus is being built with.</summary>
    BusSettings Settings { get; }

    /// <summary>
    /// A receive endpoint on the queue <paramref name="queueName"/> (reachable as <c>queue:{queueName}</c>), with
    /// the bus-wide prefetch and bounded retry applied before <paramref name="configure"/> runs, so the callback
    /// may still override them.
    /// </summary>
    void ReceiveEndpoint(string queueName, Action<IReceiveEndpointConfigurator> configure);
}
