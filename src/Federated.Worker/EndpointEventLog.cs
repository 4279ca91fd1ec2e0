using MassTransit;

namespace Federated.Worker;

/// <summary>Writes what happens to the worker's receive endpoint (faulted, ready again) to its log: the evidence when
/// a broker outage leaves the endpoint dead while the bus still publishes.</summary>
public sealed class EndpointEventLog(TextWriter log) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        log.WriteLine($"receive endpoint {ready.InputAddress.AbsolutePath.TrimStart('/')} ready");
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        log.WriteLine($"receive endpoint {faulted.InputAddress.AbsolutePath.TrimStart('/')} faulted: {faulted.Exception?.GetType().Name}: {faulted.Exception?.Message}");
        return Task.CompletedTask;
    }
}
