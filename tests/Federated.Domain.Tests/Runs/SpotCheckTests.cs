using Federated.Domain.Runs;
using Federated.Domain.Verification;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

/// <summary>With sampleRate 1 every shard is checked: the decision compares the coordinator's re-training with the submission.</summary>
public class SpotCheckTests
{
    private static readonly RunSpec Checked = Spec with { Verification = new VerificationSpec(1.0) };

    private static object[] CheckedRoundLeased() =>
        [Launched(Checked), Joined("w1"), Joined("w2"), Opened(1, InitialModel, 0, 1, 2), Leased(1, 1, "w1", "lease-1"), Leased(1, 2, "w2", "lease-2")];

    [Fact]
    public void A_matching_spot_check_is_recorded_and_the_update_accepted() =>
        Given(CheckedRoundLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", tokens: 900) with { SpotCheck = new SpotCheck("update-1", 900, 1.5) }, At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", 900, 3f, At(60)),
                new SpotChecked(RunId, 1, 1, "lease-1", "w1", "update-1", "update-1", 900, 900, true, 1.5, At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", 900, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void A_fabricated_update_is_rejected_its_lease_ended_and_its_worker_flagged() =>
        Given(CheckedRoundLeased())
            .When(Submit(1, 1, "lease-1", "w1", "fabricated", tokens: 900) with { SpotCheck = new SpotCheck("update-1", 900, 1.5) }, At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "fabricated", 900, 3f, At(60)),
                new SpotChecked(RunId, 1, 1, "lease-1", "w1", "fabricated", "update-1", 900, 900, false, 1.5, At(60)),
                new UpdateRejected(RunId, 1, 1, "lease-1", "w1", "fabricated",
                    $"{RejectionReasons.SpotCheckMismatch}: update fabricated is not the update-1 that training the shard gives", At(60)),
                new ShardLeaseExpired(RunId, 1, 1, "lease-1", "w1", At(60)),
                new WorkerFlagged(RunId, "w1", $"{RejectionReasons.SpotCheckMismatch} on shard 1 of round 1", At(60)));

    [Fact]
    public void An_honest_update_claiming_more_tokens_than_it_trained_fails_the_spot_check()
    {
        var events = Given(CheckedRoundLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1", tokens: 1000) with { SpotCheck = new SpotCheck("update-1", 320, 1.5) }, At(60)).Events;

        Assert.Equal($"{RejectionReasons.SpotCheckMismatch}: claimed 1000 tokens, training the shard processes 320", events.OfType<UpdateRejected>().Single().Reason);
    }

    [Fact]
    public void A_sampled_shard_cannot_be_decided_without_the_spot_check() =>
        Given(CheckedRoundLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(60))
            .ThenThrows<DomainException>("is sampled for a spot check");

    [Fact]
    public void A_flagged_worker_gets_no_further_lease()
    {
        var flagged = Given(CheckedRoundLeased()).When(Submit(1, 1, "lease-1", "w1", "fabricated") with { SpotCheck = new SpotCheck("update-1", ShardTokens, 1) }, At(60)).Events;

        Given([.. CheckedRoundLeased(), .. flagged])
            .When(new LeaseShard(1, "w1", "lease-3"), At(61))
            .ThenThrows<DomainException>("worker w1 has not joined the run");
    }

    [Fact]
    public void A_flagged_worker_announcing_itself_again_stays_out()
    {
        var flagged = Given(CheckedRoundLeased()).When(Submit(1, 1, "lease-1", "w1", "fabricated") with { SpotCheck = new SpotCheck("update-1", ShardTokens, 1) }, At(60)).Events;

        Given([.. CheckedRoundLeased(), .. flagged]).When(new JoinWorker("w1", 1), At(61)).ThenNothingHappens();
    }

    [Fact]
    public void Whether_a_spot_check_is_needed_follows_the_sample_and_the_other_checks()
    {
        var state = RunState.Fold(CheckedRoundLeased());

        Assert.Equal((true, false),
            (Run.NeedsSpotCheck(Submit(1, 1, "lease-1", "w1", "u"), state, At(60)), Run.NeedsSpotCheck(Submit(1, 1, "lease-9", "w1", "u"), state, At(60))));
    }
}
