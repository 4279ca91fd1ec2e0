using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class AggregateRoundTests
{
    private static readonly AggregateRound AggregateRoundOne = new(1, "model-1", 2.25f, 42.5);

    /// <summary>Shard 2 (300 tokens, loss 4) is accepted before shard 1 (100 tokens, loss 2).</summary>
    private static object[] RoundOneAcceptedOutOfOrder(RunSpec spec) =>
    [
        Launched(spec), Joined("w1"), Joined("w2"), Opened(1, InitialModel, 0, 1, 2),
        Leased(1, 1, "w1", "lease-1"), Leased(1, 2, "w2", "lease-2"),
        .. AcceptedUpdate(1, 2, "w2", "lease-2", "update-2", tokens: 300, trainLoss: 4f, at: 50),
        .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", tokens: 100, trainLoss: 2f, at: 60),
    ];

    [Fact]
    public void A_fully_accepted_round_aggregates_in_shard_order_with_the_token_weighted_train_loss() =>
        Given(RoundOneAcceptedOutOfOrder(Spec))
            .When(AggregateRoundOne, At(120))
            .Then(new RoundAggregated(RunId, 1, InitialModel, "model-1", "fedavg", 1f,
                [new AggregatedUpdate(1, "w1", "update-1", 100), new AggregatedUpdate(2, "w2", "update-2", 300)],
                // (100 * 2 + 300 * 4) / 400 = 3.5
                new RoundMetrics(TrainLoss: 3.5f, ValidationLoss: 2.25f, Tokens: 400, Participants: 2, Rejected: 0, ElapsedSeconds: 42.5),
                At(120)));

    [Fact]
    public void The_last_round_also_completes_the_run_with_the_aggregated_model() =>
        Given(RoundOneAcceptedOutOfOrder(Spec with { Rounds = 1 }))
            .When(AggregateRoundOne, At(120))
            .Then(new RoundAggregated(RunId, 1, InitialModel, "model-1", "fedavg", 1f,
                    [new AggregatedUpdate(1, "w1", "update-1", 100), new AggregatedUpdate(2, "w2", "update-2", 300)],
                    new RoundMetrics(3.5f, 2.25f, 400, 2, 0, 42.5), At(120)),
                new RunCompleted(RunId, "model-1", 2.25f, At(120)));

    [Fact]
    public void Participants_count_each_worker_once_however_many_shards_it_trained()
    {
        var aggregated = Given(
            [
                Launched(), Joined("w1"), Joined("w2"), Opened(1, InitialModel, 0, 1, 2, 3),
                Leased(1, 1, "w1", "lease-1"), Leased(1, 2, "w1", "lease-2"), Leased(1, 3, "w2", "lease-3"),
                .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1"),
                .. AcceptedUpdate(1, 2, "w1", "lease-2", "update-2"),
                .. AcceptedUpdate(1, 3, "w2", "lease-3", "update-3"),
            ])
            .When(AggregateRoundOne, At(120))
            .Events.OfType<RoundAggregated>().Single();

        Assert.Equal(2, aggregated.Metrics.Participants);
    }

    [Fact]
    public void The_metrics_count_the_rounds_rejected_updates()
    {
        var aggregated = Given(
            [
                .. RoundOneLeased(),
                .. RejectedUpdate(1, 1, "w2", "lease-1", "update-1-bad", "not-lease-holder: lease-1 belongs to w1", at: 30),
                .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60),
                .. AcceptedUpdate(1, 2, "w2", "lease-2", "update-2", at: 60),
            ])
            .When(AggregateRoundOne, At(120))
            .Events.OfType<RoundAggregated>().Single();

        Assert.Equal(1, aggregated.Metrics.Rejected);
    }

    [Fact]
    public void Below_quorum_before_the_deadline_throws() =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(AggregateRoundOne, At(Spec.RoundTimeoutSeconds - 1))
            .ThenThrows<DomainException>("has 1 of the 2 updates its quorum needs");

    [Fact]
    public void Below_quorum_at_the_deadline_aggregates_what_was_accepted() =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", trainLoss: 2f, at: 60)])
            .When(AggregateRoundOne, At(Spec.RoundTimeoutSeconds))
            .Then(new RoundAggregated(RunId, 1, InitialModel, "model-1", "fedavg", 1f,
                [new AggregatedUpdate(1, "w1", "update-1", ShardTokens)],
                new RoundMetrics(2f, 2.25f, ShardTokens, 1, 0, 42.5), At(Spec.RoundTimeoutSeconds)));

    [Fact]
    public void Reaching_a_partial_quorum_aggregates_before_the_deadline()
    {
        var events = Given(
            [
                Launched(Spec with { Quorum = 0.5 }), Joined("w1"), Joined("w2"), Opened(1, InitialModel, 0, 1, 2),
                Leased(1, 1, "w1", "lease-1"),
                .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60),
            ])
            .When(AggregateRoundOne, At(70))
            .Events;

        Assert.IsType<RoundAggregated>(Assert.Single(events));
    }

    [Fact]
    public void A_round_with_nothing_accepted_throws_even_after_the_deadline() =>
        Given([.. RoundOneLeased(), .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 60, endsLease: true)])
            .When(AggregateRoundOne, At(10_000))
            .ThenThrows<DomainException>("round 1 has no accepted update");

    [Fact]
    public void Aggregating_a_round_other_than_the_open_one_throws() =>
        Given(RoundOneFullyAccepted())
            .When(AggregateRoundOne with { Round = 2 }, At(120))
            .ThenThrows<DomainException>("open round is 1, not 2");

    [Fact]
    public void Aggregating_between_rounds_throws() =>
        Given(RoundOneAggregated())
            .When(AggregateRoundOne, At(200))
            .ThenThrows<DomainException>("no round is open");
}

public class FailRunTests
{
    [Fact]
    public void A_running_run_fails_with_the_reason() =>
        Given(RoundOneOpen())
            .When(new FailRun("out of disk"), At(50))
            .Then(new RunFailed(RunId, "out of disk", At(50)));

    [Fact]
    public void Failing_a_run_that_already_failed_is_refused_and_records_nothing() =>
        Given(Launched(), new RunFailed(RunId, "out of disk", At(10)))
            .When(new FailRun("out of disk"), At(50))
            .ThenThrows<RunEndedException>("has failed: its log is closed");
}
