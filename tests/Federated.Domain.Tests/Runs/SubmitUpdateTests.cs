using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class SubmitUpdateTests
{
    [Fact]
    public void A_valid_update_is_recorded_accepted_with_its_tokens_as_weight_and_completes_the_shard() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", tokens: 900, trainLoss: 2.5f), At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", 900, 2.5f, At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", 900, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void An_update_after_the_lease_period_is_rejected_even_before_the_lease_is_marked_expired() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(Spec.LeaseSeconds + 30))
            .ThenRejectedFor(RejectionReasons.LeaseExpired);

    [Fact]
    public void An_update_for_another_round_is_rejected() =>
        Given(RoundOneLeased())
            .When(Submit(2, 1, "lease-1", "w1", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.WrongRound);

    [Fact]
    public void An_update_between_rounds_is_rejected_as_wrong_round() =>
        Given(RoundOneAggregated())
            .When(Submit(2, 3, "lease-3", "w1", "update-3"), At(200))
            .ThenRejectedFor(RejectionReasons.WrongRound);

    [Fact]
    public void An_update_for_a_shard_the_round_does_not_have_is_rejected() =>
        Given(RoundOneLeased())
            .When(Submit(1, 9, "lease-1", "w1", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.UnknownShard);

    [Fact]
    public void An_update_under_a_lease_never_granted_is_rejected() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-9", "w1", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.UnknownLease);

    [Fact]
    public void An_update_under_a_lease_granted_for_another_shard_is_rejected_as_unknown_lease() =>
        Given(RoundOneLeased())
            .When(Submit(1, 2, "lease-1", "w1", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.UnknownLease);

    [Fact]
    public void An_update_from_a_worker_that_does_not_hold_the_lease_is_rejected() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w2", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.NotLeaseHolder);

    [Fact]
    public void An_update_under_an_expired_lease_is_rejected() =>
        Given([.. RoundOneLeased(), LeaseExpired(1, 1, "w1", "lease-1", at: 300)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(310))
            .ThenRejectedFor(RejectionReasons.LeaseExpired);

    [Fact]
    public void A_second_update_for_a_completed_shard_is_rejected() =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1b"), At(70))
            .ThenRejectedFor(RejectionReasons.ShardAlreadyCompleted);

    [Fact]
    public void A_late_update_under_an_expired_lease_for_a_shard_another_worker_completed_is_rejected_as_completed() =>
        Given(
            [
                .. RoundOneOpen(),
                Leased(1, 1, "w1", "lease-1"),
                LeaseExpired(1, 1, "w1", "lease-1", at: 300),
                Leased(1, 1, "w2", "lease-1b", at: 310),
                .. AcceptedUpdate(1, 1, "w2", "lease-1b", "update-w2", at: 400),
            ])
            .When(Submit(1, 1, "lease-1", "w1", "update-w1"), At(410))
            .ThenRejectedFor(RejectionReasons.ShardAlreadyCompleted);

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void An_update_claiming_no_tokens_is_rejected_as_invalid(long tokens) =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", tokens: tokens), At(60))
            .ThenRejectedFor(RejectionReasons.InvalidUpdate);

    [Fact]
    public void An_update_claiming_more_tokens_than_its_shard_holds_weighs_only_what_the_shard_holds() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", tokens: ShardTokens * 3, trainLoss: 2.5f), At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens * 3, 2.5f, At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void An_update_with_a_defect_is_rejected_as_invalid() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", defect: "3 values are NaN"), At(60))
            .ThenRejectedFor(RejectionReasons.InvalidUpdate);

    [Fact]
    public void A_bad_update_from_the_lease_holder_is_refused_saying_why_and_ends_its_lease() =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", defect: "3 values are NaN"), At(60))
            .Then(RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: 3 values are NaN", at: 60, endsLease: true));

    [Fact]
    public void A_refused_update_from_a_worker_that_does_not_hold_the_lease_leaves_the_lease_alone()
    {
        var events = Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w2", "update-1"), At(60))
            .Events;

        Assert.DoesNotContain(events, e => e is ShardLeaseExpired);
    }

    [Fact]
    public void A_refused_update_under_an_expired_lease_does_not_expire_it_again()
    {
        var events = Given([.. RoundOneLeased(), LeaseExpired(1, 1, "w1", "lease-1", at: 300)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(310))
            .Events;

        Assert.DoesNotContain(events, e => e is ShardLeaseExpired);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void An_update_reporting_a_non_finite_train_loss_is_rejected_as_invalid(float trainLoss) =>
        Given(RoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", trainLoss: trainLoss), At(60))
            .ThenRejectedFor(RejectionReasons.InvalidUpdate);

    [Fact]
    public void An_update_to_a_failed_run_is_refused_without_appending_to_its_closed_log() =>
        Given([.. RoundOneLeased(), new RunFailed(RunId, "operator stopped it", At(30))])
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(60))
            .ThenThrows<RunEndedException>("its log is closed");

    [Fact]
    public void A_redelivered_accepted_update_records_nothing() =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(65))
            .ThenNothingHappens();

    [Fact]
    public void A_redelivered_rejected_update_records_nothing() =>
        Given([.. RoundOneLeased(), .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 60, endsLease: true)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1", defect: "bad"), At(65))
            .ThenNothingHappens();

    [Fact]
    public void A_redelivered_update_after_its_round_was_aggregated_records_nothing() =>
        Given(RoundOneAggregated())
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(130))
            .ThenNothingHappens();

    [Fact]
    public void A_redelivered_update_after_the_next_round_opened_records_nothing() =>
        Given([.. RoundOneAggregated(), Opened(2, "model-1", 150, 3, 4)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(160))
            .ThenNothingHappens();

    [Fact]
    public void A_redelivered_late_update_for_an_earlier_round_records_nothing() =>
        Given(
            [
                .. RoundOneAggregated(),
                Opened(2, "model-1", 150, 3, 4),
                .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1-late", "wrong-round: update is for round 1, open round is 2", at: 160),
            ])
            .When(Submit(1, 1, "lease-1", "w1", "update-1-late"), At(170))
            .ThenNothingHappens();

    [Fact]
    public void A_redelivered_refused_update_after_its_round_was_aggregated_records_nothing() =>
        Given(
            [
                .. RoundOneLeased(),
                .. RejectedUpdate(1, 1, "w2", "lease-1", "update-1-w2", "not-lease-holder: lease-1 belongs to w1", at: 30),
                .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60),
                .. AcceptedUpdate(1, 2, "w2", "lease-2", "update-2", at: 60),
                Aggregated(1, InitialModel, "model-1", 120,
                    new AggregatedUpdate(1, "w1", "update-1", ShardTokens), new AggregatedUpdate(2, "w2", "update-2", ShardTokens)),
            ])
            .When(Submit(1, 1, "lease-1", "w2", "update-1-w2"), At(130))
            .ThenNothingHappens();

    [Fact]
    public void A_different_update_under_a_lease_its_refusal_ended_is_decided_again_and_refused_as_expired() =>
        Given([.. RoundOneLeased(), .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 60, endsLease: true)])
            .When(Submit(1, 1, "lease-1", "w1", "update-1-retrained"), At(65))
            .ThenRejectedFor(RejectionReasons.LeaseExpired);
}
