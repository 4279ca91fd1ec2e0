using Federated.Domain.Aggregation;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

/// <summary>The run's decisions on an update's size and claimed tokens, and on a model that is not a number.</summary>
public class UpdateBoundDecisionTests
{
    /// <summary>A base model of norm 10: the default absolute limit on an update's norm is 10 x 10 = 100.</summary>
    private static SubmitUpdate Sized(double norm, double maxAbs, long tokens = ShardTokens, long? ceiling = null) =>
        Submit(1, 1, "lease-1", "w1", "update-1", tokens) with { Magnitude = new UpdateMagnitude(norm, maxAbs, BaseNorm: 10), TokenCeiling = ceiling };

    [Fact]
    public void An_update_of_3e38_values_is_rejected_as_out_of_bounds() =>
        Given(RoundOneLeased())
            .When(Sized(norm: 3e38 * Math.Sqrt(1_234), maxAbs: 3e38), At(60))
            .ThenRejectedFor(RejectionReasons.UpdateNormOutOfBounds);

    [Fact]
    public void An_update_longer_than_the_ratio_times_the_base_model_is_rejected_naming_the_setting()
    {
        var events = Given(RoundOneLeased()).When(Sized(norm: 100.5, maxAbs: 0.5), At(60)).Events;

        var rejected = Assert.Single(events.OfType<UpdateRejected>());
        Assert.StartsWith("update-norm-out-of-bounds: L2 norm 100.5 exceeds verification.maxUpdateNormRatio 10", rejected.Reason);
    }

    [Fact]
    public void A_rejected_oversized_update_ends_the_lease_and_the_worker_does_not_get_the_shard_again()
    {
        var events = Given(RoundOneLeased()).When(Sized(norm: 1e6, maxAbs: 1e3), At(60)).Events;
        var state = RunState.Fold([.. RoundOneLeased(), .. events]);

        Assert.Contains(events, e => e is ShardLeaseExpired { LeaseId: "lease-1" });
        Assert.False(state.OpenRound!.MayLease(1, "w1"));
    }

    [Fact]
    public void An_update_inside_the_bounds_is_accepted() =>
        Given(RoundOneLeased())
            .When(Sized(norm: 99, maxAbs: 999), At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, 3f, At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void A_bound_stated_in_the_spec_replaces_the_default() =>
        Given([Launched(Spec with { Verification = new VerificationSpec { MaxUpdateNormRatio = 2 } }), .. RoundOneLeased().Skip(1)])
            .When(Sized(norm: 25, maxAbs: 1), At(60))
            .ThenRejectedFor(RejectionReasons.UpdateNormOutOfBounds);

    [Fact]
    public void A_token_claim_above_what_the_local_steps_train_on_weighs_only_that_much() =>
        Given(RoundOneLeased())
            .When(Sized(norm: 1, maxAbs: 0.1, tokens: ShardTokens, ceiling: 120), At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, 3f, At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", 120, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void A_round_whose_model_evaluates_to_nan_is_not_recorded() =>
        Given(RoundOneFullyAccepted())
            .When(new AggregateRound(1, "model-1", float.NaN, 1), At(120))
            .ThenThrows<DomainException>("validation loss is NaN");
}
