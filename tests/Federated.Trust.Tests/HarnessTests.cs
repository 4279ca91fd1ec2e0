using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;

namespace Federated.Trust.Tests;

/// <summary>The simulated attackers do what their names say, as the coordinator records it.</summary>
public class HarnessTests
{
    [Fact]
    public async Task A_copycat_update_has_the_same_hash_as_another_workers_in_every_round()
    {
        var outcome = await Experiment.RunAsync(new Scenario("fedavg", Attack.Copycat, 1));

        Assert.All(outcome.Rounds, round => Assert.Equal(Experiment.Workers - 1, round.AggregatedUpdates.Select(u => u.UpdateHash).Distinct().Count()));
    }

    /// <summary>The claim is the whole shard; the weight accepted is what the local steps train on (steps x batch x
    /// context for the GPT), the same as an honest worker's, since claims above that ceiling are capped.</summary>
    [Fact]
    public async Task A_free_rider_claims_the_whole_shard_and_is_accepted_at_the_local_steps_ceiling()
    {
        var outcome = await Experiment.RunAsync(new Scenario("fedavg", Attack.FreeRider, 1));

        var spec = Experiment.Spec("fedavg");
        var ceiling = SpecModels.Create(spec.Model).TrainTokens(spec.LocalSteps, spec.BatchSize, spec.ShardTokens);
        Assert.Equal(spec.LocalSteps * spec.BatchSize * Experiment.Context, ceiling);
        Assert.All(outcome.Rounds, round => Assert.Equal(ceiling, round.AggregatedUpdates.Single(u => u.WorkerId == "w1").Weight));
    }

    [Fact]
    public async Task Every_malicious_update_is_accepted_so_the_aggregator_alone_must_defend()
    {
        var outcome = await Experiment.RunAsync(new Scenario("multi-krum", Attack.SignFlip, 2));

        Assert.All(outcome.Rounds, round => Assert.Equal(Experiment.Workers, round.AggregatedUpdates.Count));
    }

    [Fact]
    public async Task A_run_with_more_byzantine_workers_than_multi_krum_tolerates_is_refused_before_anything_is_stored()
    {
        using var run = new TrustRun();
        var spec = Experiment.Spec("multi-krum") with { ByzantineWorkers = 3 };

        var error = await Assert.ThrowsAsync<RunSpecException>(() => run.Coordinator.LaunchAsync(spec));

        Assert.Equal("aggregator: multi-krum needs shardsPerRound > 2*byzantineWorkers + 2, got 8 and 3", error.Message);
        Assert.Equal(0, await CountEventsAsync(run));
    }

    private static async Task<int> CountEventsAsync(TrustRun run)
    {
        var count = 0;
        await foreach (var _ in run.Store.ReadAllAsync(0, int.MaxValue)) count++;
        return count;
    }
}
