using Federated.Domain.Runs;
using Federated.Domain.Verification;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Trust.Tests;

/// <summary>Verified work on real runs: the coordinator re-trains sampled shards and catches fabricated updates.</summary>
public class SpotCheckTests
{
    [Fact]
    public async Task A_fabricating_worker_is_caught_exactly_when_its_shard_is_sampled_and_then_gets_no_more_work()
    {
        var run = new FabricationRun(SampleRate: 0.5, Fabricators: 1, Fake.OneValuePerturbed);
        var outcome = await Fabrication.RunAsync(run);

        var fakes = Fabrication.FakeSubmissions(outcome).ToList();
        var caught = outcome.Events.OfType<UpdateRejected>().Where(r => RejectionReasons.CodeOf(r.Reason) == RejectionReasons.SpotCheckMismatch).ToList();
        Assert.Equal(RunStatus.Completed, outcome.State.Status);
        Assert.Single(caught); // caught once, then flagged
        Assert.All(fakes, f => Assert.Equal(SpotCheckSelection.IsSampled(run.Seed, f.Round, f.ShardId, run.SampleRate),
            caught.Any(c => c.LeaseId == f.LeaseId)));
        var flaggedAt = outcome.Events.ToList().IndexOf(Assert.Single(outcome.Events.OfType<WorkerFlagged>()));
        Assert.DoesNotContain(outcome.Events.Skip(flaggedAt).OfType<ShardLeased>(), l => l.WorkerId == "w1");
    }

    [Fact]
    public async Task A_scaled_update_is_caught_at_the_first_sampled_shard()
    {
        var outcome = await Fabrication.RunAsync(new FabricationRun(SampleRate: 1.0, Fabricators: 2, Fake.Scaled, Rounds: 2));

        Assert.Equal(["w1", "w2"], outcome.Events.OfType<WorkerFlagged>().Select(f => f.WorkerId).Order());
        Assert.DoesNotContain(outcome.State.History.SelectMany(h => h.AggregatedUpdates), u => outcome.FakeHashes.Contains(u.UpdateHash));
    }

    [Fact]
    public async Task Every_honest_update_passes_its_spot_check()
    {
        var outcome = await Fabrication.RunAsync(new FabricationRun(SampleRate: 1.0, Fabricators: 0, Fake.Scaled, Rounds: 2));

        var checks = outcome.Events.OfType<SpotChecked>().ToList();
        Assert.Equal(2 * Experiment.Workers, checks.Count);
        Assert.All(checks, c => Assert.True(c.Matched, $"shard {c.ShardId}: {c.SubmittedUpdateHash} != {c.ExpectedUpdateHash}"));
        Assert.Equal(0, outcome.State.RejectedUpdates);
    }
}
