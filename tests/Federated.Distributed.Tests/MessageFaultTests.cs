using System.Text;
using Federated.Contracts;
using Federated.Coordinator.Messaging;
using Federated.Domain.Runs;
using Federated.Messaging;
using MassTransit;
using RabbitMQ.Client;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>Messages the coordinator must survive: the same update twice, a bad update for the run, an update for a run
/// that does not exist, and bytes that are no message at all.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MessageFaultTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);
    /// <summary>More rounds than the other tests: the run must still be going when the test's messages arrive.</summary>
    private const int Rounds = 6;

    [Fact]
    public async Task Duplicated_and_malformed_messages_count_nothing_extra_and_the_run_completes()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");
        // The test's own bus is up before the run starts, so its messages arrive while the run is still going.
        var settings = BusSettings.Parse(d.Broker);
        var bus = FederatedBus.Create(settings);
        await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30));
        string runId;
        UpdateAccepted accepted;
        try
        {
            var coordinator = await bus.GetSendEndpoint(new Uri($"queue:{CoordinatorEndpoint.QueueName}"));
            runId = await d.LaunchAsync(TestSpecs.Small(rounds: Rounds));
            var early = await d.Log.WaitUntilAsync(runId, l => l.Of<UpdateAccepted>().Any(), RunTimeout, d.Logs);
            accepted = early.Of<UpdateAccepted>().First();
            var submitted = early.Of<UpdateSubmitted>().First(s => s.LeaseId == accepted.LeaseId);
            var duplicate = new ShardTrained
            {
                RunId = runId, Round = accepted.Round, ShardId = accepted.ShardId, LeaseId = accepted.LeaseId, WorkerId = accepted.WorkerId,
                UpdateHash = accepted.UpdateHash, Tokens = submitted.Tokens, TrainLoss = submitted.TrainLoss,
            };
            await coordinator.Send(duplicate);
            await coordinator.Send(duplicate);
            await coordinator.Send(duplicate with { LeaseId = "forged-lease", UpdateHash = "not-a-hash" });
            await coordinator.Send(duplicate with { RunId = "no-such-run" });
        }
        finally
        {
            await bus.StopAsync();
        }
        await SendGarbageAsync(d.Broker, CoordinatorEndpoint.QueueName);

        var log = await d.Log.WaitUntilAsync(runId, l => l.State.Status == RunStatus.Completed && l.Faults.Any(), RunTimeout, d.Logs);
        RunLogAssert.CompletedWithEachUpdateOnce(log, Rounds, TestSpecs.ShardsPerRound);
        // The duplicate was decided once: one submission, one acceptance for that lease.
        Assert.Single(log.Of<UpdateSubmitted>(), s => s.LeaseId == accepted.LeaseId);
        // The forged update is on record as rejected: unsigned (w1 registered an address, and the forgery carries no
        // signature of it), for its lease, or for its round when a later round is open by the time it arrives.
        var rejection = Assert.Single(log.Of<UpdateRejected>(), r => r.LeaseId == "forged-lease");
        Assert.Matches($"^({RejectionReasons.Unsigned}|{RejectionReasons.UnknownLease}|{RejectionReasons.WrongRound}): ", rejection.Reason);
        // The update for a run the log does not hold is recorded as a fault and went to the error queue, as did the garbage.
        Assert.Contains(log.Faults, f => f.RunId == "no-such-run" && f.MessageType == nameof(ShardTrained));
        var depths = await d.QueueDepthsAsync();
        Assert.Equal(2, depths.GetValueOrDefault($"{CoordinatorEndpoint.QueueName}_error"));
    }

    /// <summary>Bytes that claim to be a MassTransit message but are not JSON, straight onto the coordinator's queue.</summary>
    private static async Task SendGarbageAsync(string broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Replace("rabbitmq://", "amqp://", StringComparison.Ordinal)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString(),
        };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{ this is not a message"));
    }
}
