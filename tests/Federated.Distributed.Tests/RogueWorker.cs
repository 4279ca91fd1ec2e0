using Federated.Contracts;
using Federated.Messaging;
using Federated.Worker;
using MassTransit;

namespace Federated.Distributed.Tests;

/// <summary>A hostile (or broken) worker: properly signed, announces itself every second, consumes its queue and drops
/// every task, so every lease it gets runs out.</summary>
public sealed class RogueWorker : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _beats;
    private int _tasks;

    private RogueWorker(IBusControl bus, EthereumContributionSigner signer, string workerId)
    {
        _bus = bus;
        _beats = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                var announcement = new WorkerAvailable { WorkerId = workerId, Threads = 1, Endpoint = WorkerEndpoint.AddressFor(workerId) };
                try { await _bus.Publish(signer.Sign(announcement, DateTimeOffset.UtcNow), _stopping.Token); }
                catch (Exception) when (!_stopping.IsCancellationRequested) { }
                try { await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token); }
                catch (OperationCanceledException) { }
            }
        });
    }

    public int TasksTaken => Volatile.Read(ref _tasks);

    public static async Task<RogueWorker> StartAsync(string broker, string workerId)
    {
        var settings = BusSettings.Parse(broker);
        RogueWorker? rogue = null;
        var bus = FederatedBus.Create(settings, endpoints => endpoints.ReceiveEndpoint(WorkerEndpoint.QueueNameFor(workerId),
            e => e.Handler<TrainShard>(_ =>
            {
                Interlocked.Increment(ref rogue!._tasks);
                return Task.CompletedTask;
            })));
        await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30));
        rogue = new RogueWorker(bus, new EthereumContributionSigner(Deployment.WorkerKey(workerId)), workerId);
        return rogue;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _beats;
        await _bus.StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
