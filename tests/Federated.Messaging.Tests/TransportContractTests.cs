using Federated.Contracts;
using MassTransit;

namespace Federated.Messaging.Tests;

/// <summary>
/// What the coordinator and workers rely on from any transport. Written once; each transport runs it through a
/// one-line subclass. Every test uses queues of its own, so a shared broker carries nothing between tests.
/// </summary>
public abstract class TransportContractTests
{
    /// <summary>The settings under test, with short retry waits.</summary>
    protected abstract BusSettings Settings { get; }

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Task_sent_to_a_worker_queue_address_reaches_that_worker()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));
        var sent = Messages.Task(queue);

        await bus.SendAsync(queue, sent);

        Assert.Equal(sent.LeaseId, (await received.NextAsync(Patience)).Message.LeaseId);
    }

    [Fact]
    public async Task Published_worker_announcement_reaches_the_coordinator_queue()
    {
        var received = new Received<WorkerAvailable>();
        await using var bus = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint("fed-coordinator", r => r.Handler<WorkerAvailable>(received.Handle)));
        var workerId = Guid.NewGuid().ToString("N");

        await bus.Bus.Publish(new WorkerAvailable { WorkerId = workerId, Endpoint = $"queue:fed-worker-{workerId}" });

        Assert.Equal(workerId, (await received.NextAsync(Patience)).Message.WorkerId);
    }

    [Fact]
    public async Task Failing_consumer_is_retried_exactly_the_retry_limit()
    {
        var queue = Messages.NewWorkerQueue();
        var attempts = 0;
        var faulted = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e =>
        {
            e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(_ =>
            {
                Interlocked.Increment(ref attempts);
                throw new InvalidOperationException("shard blob is corrupt");
            }));
            e.ReceiveEndpoint($"{queue}_error", r => { r.ConfigureConsumeTopology = false; r.Handler<TrainShard>(faulted.Handle); });
        });

        await bus.SendAsync(queue, Messages.Task(queue));
        await faulted.NextAsync(Patience);

        Assert.Equal(1 + Settings.RetryLimit, Volatile.Read(ref attempts));
    }

    [Fact]
    public async Task Message_that_keeps_failing_lands_in_the_error_queue_with_its_exception()
    {
        var queue = Messages.NewWorkerQueue();
        var faulted = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e =>
        {
            e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(_ => throw new InvalidOperationException("shard blob is corrupt")));
            e.ReceiveEndpoint($"{queue}_error", r => { r.ConfigureConsumeTopology = false; r.Handler<TrainShard>(faulted.Handle); });
        });
        var sent = Messages.Task(queue);

        await bus.SendAsync(queue, sent);
        var dead = await faulted.NextAsync(Patience);

        Assert.Equal(
            (sent.LeaseId, "shard blob is corrupt"),
            (dead.Message.LeaseId, dead.ReceiveContext.TransportHeaders.Get<string>("MT-Fault-Message")));
    }

    [Fact]
    public async Task Successful_message_is_consumed_once()
    {
        var queue = Messages.NewWorkerQueue();
        var received = new Received<TrainShard>();
        await using var bus = await RunningBus.StartAsync(Settings, e => e.ReceiveEndpoint(queue, r => r.Handler<TrainShard>(received.Handle)));

        await bus.SendAsync(queue, Messages.Task(queue));
        await received.NextAsync(Patience);

        Assert.True(await received.NoneWithinAsync(TimeSpan.FromSeconds(1)));
    }
}

public sealed class InMemoryTransportTests : TransportContractTests
{
    protected override BusSettings Settings { get; } =
        BusSettings.Parse("loopback://") with { RetryLimit = 2, RetryInterval = TimeSpan.FromMilliseconds(20) };
}
