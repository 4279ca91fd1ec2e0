using MassTransit;
using Federated.Contracts;
using Federated.Testing;

namespace Federated.Messaging.Tests;

/// <summary>The transport contract against a private RabbitMQ (one per class), plus what only a broker can show.</summary>
public sealed class RabbitMqTransportTests(RabbitMqServer broker) : TransportContractTests, IClassFixture<RabbitMqServer>
{
    protected override BusSettings Settings { get; } =
        BusSettings.Parse(broker.BrokerUri.ToString()) with { RetryLimit = 2, RetryInterval = TimeSpan.FromMilliseconds(20), ConnectionName = "fed-tests" };

    [Fact]
    public async Task Broker_reports_the_failed_message_in_the_error_queue()
    {
        var queue = Messages.NewWorkerQueue();
        var attempts = 0;
        await using (await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(_ =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("boom");
        }))))
        {
            await using var sender = await RunningBus.StartAsync(Settings);
            await sender.SendAsync(queue, Messages.Task(queue));
            await Eventually(() => Volatile.Read(ref attempts) > Settings.RetryLimit);
        }

        var queues = await Eventually(async () =>
        {
            var all = await broker.ListQueuesAsync();
            return all.Any(q => q.Name == $"{queue}_error" && q.Messages == 1) ? all : null;
        });
        Assert.Equal((0L, 1L), (queues.Single(q => q.Name == queue).Messages, queues.Single(q => q.Name == $"{queue}_error").Messages));
    }

    // Not in the contract: the in-memory transport drops a send to a queue no endpoint has declared yet.
    [Fact]
    public async Task Message_sent_before_its_consumer_connects_waits_in_the_queue()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings);
        var sent = Messages.Task(queue);

        await bus.SendAsync(queue, sent);
        var handle = FederatedBus.ConnectReceiveEndpoint(bus.Bus, Settings, queue, r => r.Handler<TrainShard>(received.Handle));
        await handle.Ready;

        Assert.Equal(sent.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    [Fact]
    public async Task Task_sent_while_the_worker_process_is_down_is_delivered_when_it_comes_back()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        // The worker ran once (its durable queue exists), then went away.
        await using (await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, _ => { }))) { }
        var sent = Messages.Task(queue);
        await using (var coordinator = await RunningBus.StartAsync(Settings))
            await coordinator.SendAsync(queue, sent);

        await using var worker = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));

        Assert.Equal(sent.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    [Fact]
    public async Task Queues_are_durable_on_the_broker()
    {
        var queue = Messages.NewWorkerQueue();
        await using (await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, _ => { }))) { }

        var durable = await broker.CtlAsync(["-q", "list_queues", "-p", RabbitMqServer.VirtualHost, "name", "durable", "auto_delete"]);

        Assert.Contains($"{queue}\ttrue\tfalse", durable.Output);
    }

    internal static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(250);
        }
    }
}
