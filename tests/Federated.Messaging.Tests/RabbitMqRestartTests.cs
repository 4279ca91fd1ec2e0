using MassTransit;
using Federated.Contracts;
using Federated.Testing;

namespace Federated.Messaging.Tests;

/// <summary>
/// Broker restarts and crashes, on a private RabbitMQ of their own (restarting the shared one would disturb other
/// test classes). Each test starts it first, in case an earlier one left it down.
/// </summary>
public sealed class RabbitMqRestartTests(RabbitMqServer broker) : IClassFixture<RabbitMqServer>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly RabbitMqServer _broker = broker;

    private BusSettings Settings => BusSettings.Parse(_broker.BrokerUri.ToString()) with
    {
        RetryLimit = 1,
        RetryInterval = TimeSpan.FromMilliseconds(20),
        Heartbeat = TimeSpan.FromSeconds(2),
    };

    public Task InitializeAsync() => _broker.StartAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Bus_reconnects_after_a_broker_restart_and_delivers_what_is_sent_next()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));
        await bus.SendAsync(queue, Messages.Task(queue, shard: 1));
        await received.NextAsync(Patience);

        await _broker.StopAsync();
        await _broker.StartAsync();
        var afterRestart = Messages.Task(queue, shard: 2);
        await SendWhenReconnectedAsync(bus, queue, afterRestart);

        Assert.Equal(afterRestart.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    [Fact]
    public async Task Bus_reconnects_after_a_broker_crash()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));

        await _broker.KillAsync();
        await _broker.StartAsync();
        var afterCrash = Messages.Task(queue);
        await SendWhenReconnectedAsync(bus, queue, afterCrash);

        Assert.Equal(afterCrash.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    [Fact]
    public async Task Confirmed_message_waiting_in_a_durable_queue_survives_a_broker_restart()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using (await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, _ => { }))) { }
        var sent = Messages.Task(queue);
        await using (var coordinator = await RunningBus.StartAsync(Settings))
            await coordinator.SendAsync(queue, sent);

        await _broker.StopAsync();
        await _broker.StartAsync();
        await using var worker = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));

        Assert.Equal(sent.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    /// <summary>
    /// A send in the moment before the bus has reconnected fails (it is never silently dropped: publisher confirms);
    /// callers such as the coordinator retry. Here: retry until the bus is back, within the patience.
    /// </summary>
    private static async Task SendWhenReconnectedAsync(RunningBus bus, string queue, TrainShard message)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await bus.SendAsync(queue, message);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
