namespace Federated.Testing;

/// <summary>A queue as the broker reports it.</summary>
public sealed record BrokerQueue(string Name, long Messages, long Consumers);

/// <summary>
/// A message broker that tests own: started for them, restartable, and removed afterwards. The seam lets a
/// container-based broker replace the local <see cref="RabbitMqServer"/> without touching the tests.
/// </summary>
public interface IBrokerFixture : IAsyncDisposable
{
    /// <summary>The broker URI for <c>BusSettings.Parse</c>, credentials and vhost included (e.g. rabbitmq://fed:pw@127.0.0.1:41234/fed).</summary>
    Uri BrokerUri { get; }

    bool IsRunning { get; }

    /// <summary>Starts the broker (again), keeping the data of an earlier run; returns once it accepts clients.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops the broker cleanly, keeping its data (durable queues and persistent messages) for <see cref="StartAsync"/>.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills the broker at once (kill -9), as a crash would; <see cref="StartAsync"/> recovers from its data.</summary>
    Task KillAsync(CancellationToken cancellationToken = default);

    /// <summary>The broker's queues in the fixture's vhost, with their message counts (ready + unacknowledged).</summary>
    Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(CancellationToken cancellationToken = default);
}
