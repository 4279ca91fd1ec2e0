using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;

namespace Federated.Domain.Tests.Runs;

public class RunStateTests
{
    private static RunState Fold(params object[] events) => RunState.Fold(events);

    [Fact]
    public void No_events_is_the_initial_state() => Assert.Equal(RunStatus.None, Fold().Status);

    [Fact]
    public void A_launched_run_is_running_on_its_initial_model()
    {
        var state = Fold(Launched());

        Assert.Equal((RunId, RunStatus.Running, InitialModel, 5.5f), (state.RunId, state.Status, state.CurrentModelHash, state.InitialValidationLoss));
    }

    [Fact]
    public void Accepted_and_rejected_updates_are_counted()
    {
        var state = Fold(
        [
            .. RoundOneLeased(),
            .. RejectedUpdate(1, 1, "w2", "lease-1", "update-1-bad", "not-lease-holder: lease-1 belongs to w1", at: 30),
            .. RejectedUpdate(1, 2, "w1", "lease-2", "update-2-bad", "not-lease-holder: lease-2 belongs to w2", at: 30),
            .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60),
        ]);

        Assert.Equal((1, 2), (state.AcceptedUpdates, state.RejectedUpdates));
    }

    [Fact]
    public void A_refused_update_bars_its_worker_from_that_shard_for_the_rest_of_the_round()
    {
        var state = Fold([.. RoundOneLeased(), .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 30, endsLease: true)]);

        Assert.Equal((false, true), (state.OpenRound!.MayLease(1, "w1"), state.OpenRound.MayLease(1, "w2")));
    }

    [Fact]
    public void A_late_update_for_an_earlier_round_is_counted_for_the_run_but_not_against_the_open_round()
    {
        var state = Fold(
        [
            .. RoundOneAggregated(),
            Opened(2, "model-1", 150, 3, 4),
            .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1-late", "wrong-round: update is for round 1, open round is 2", at: 160),
        ]);

        Assert.Equal((1, 0), (state.RejectedUpdates, state.OpenRound!.Rejected));
    }

    [Fact]
    public void An_accepted_update_keeps_the_train_loss_it_was_submitted_with()
    {
        var state = Fold([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", trainLoss: 2.75f, at: 60)]);

        Assert.Equal(2.75f, state.OpenRound!.TrainLosses[1]);
    }

    [Fact]
    public void An_aggregated_round_moves_the_run_to_its_model_and_closes_the_round()
    {
        var state = Fold(RoundOneAggregated());

        Assert.Equal(("model-1", 1, true), (state.CurrentModelHash, state.LastAggregatedRound, state.OpenRound is null));
    }

    [Fact]
    public void Aggregated_rounds_are_kept_in_the_history_in_order()
    {
        var state = Fold(
        [
            .. RoundOneAggregated(),
            Opened(2, "model-1", 150, 3),
            Aggregated(2, "model-1", "model-2", 300, new AggregatedUpdate(3, "w1", "update-3", 10)),
        ]);

        Assert.Equal(
            new[] { (1, InitialModel, "model-1"), (2, "model-1", "model-2") },
            state.History.Select(h => (h.Round, h.BaseModelHash, h.ModelHash)).ToArray());
    }

    [Fact]
    public void A_completed_run_is_completed() =>
        Assert.Equal(RunStatus.Completed, Fold([.. RoundOneAggregated(), new RunCompleted(RunId, "model-1", 2f, At(120))]).Status);

    [Fact]
    public void A_failed_run_keeps_its_reason_and_drops_the_open_round()
    {
        var state = Fold([.. RoundOneOpen(), new RunFailed(RunId, "out of disk", At(50))]);

        Assert.Equal((RunStatus.Failed, "out of disk", true), (state.Status, state.FailureReason, state.OpenRound is null));
    }

    [Fact]
    public void A_worker_that_left_stays_known_but_inactive() =>
        Assert.Equal(new WorkerMembership("w1", 1, Active: false), Fold(Launched(), Joined("w1"), Left("w1")).Workers["w1"]);

    [Fact]
    public void An_expired_lease_frees_its_shard_for_another_worker()
    {
        var state = Fold([.. RoundOneLeased(), LeaseExpired(1, 1, "w1", "lease-1", at: 300)]);

        Assert.Equal(new[] { 1 }, state.OpenRound!.UnassignedShards().Select(s => s.ShardId).ToArray());
    }

    [Fact]
    public void A_completed_shard_is_not_handed_out_again()
    {
        var state = Fold([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)]);

        Assert.Equal(new[] { 2 }, state.OpenRound!.UnassignedShards().Select(s => s.ShardId).ToArray());
    }

    [Fact]
    public void An_unknown_event_type_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Fold(Launched(), "not an event"));

        Assert.Contains("unknown run event String", error.Message);
    }

    [Fact]
    public void Every_event_type_has_a_stable_name() =>
        Assert.Equal(
            typeof(RunEvents.V1).GetNestedTypes().Where(t => t.GetProperties().Any(p => p.Name == "RunId")).OrderBy(t => t.Name).ToArray(),
            RunEvents.TypeNames.Keys.OrderBy(t => t.Name).ToArray());
}
