using Federated.Coordinator.Models;
using Federated.Domain.Aggregation;
using Federated.Domain.Runs;
using Federated.Engine;
using Federated.Engine.Tokens;

namespace Federated.Trust.Tests;

/// <summary>Contribution scores (cosine with the robust aggregate, clipped at 0, times tokens) on real updates: free
/// riders and copycats earn about nothing, and an honest worker that trained on more data earns more.</summary>
public class ContributionScoreTests
{
    [Fact]
    public async Task A_free_rider_scores_zero_in_every_round_while_honest_workers_score()
    {
        var outcome = await Experiment.RunAsync(new Scenario("median", Attack.FreeRider, 1));

        Assert.All(outcome.Scores.Where(s => s.WorkerId == "w1"), s => Assert.Equal(0, s.Score));
        Assert.All(outcome.Scores.Where(s => s.WorkerId != "w1"), s => Assert.True(s.Score > 0.5 * s.Tokens, $"{s.WorkerId} round {s.Round}: {s.Score}"));
    }

    [Fact]
    public async Task Of_two_identical_updates_in_a_round_the_one_accepted_second_scores_zero()
    {
        var outcome = await Experiment.RunAsync(new Scenario("median", Attack.Copycat, 1));

        foreach (var round in outcome.Scores.GroupBy(s => s.Round))
        {
            var copies = round.GroupBy(s => s.UpdateHash).Single(g => g.Count() == 2).ToList();
            var copy = Assert.Single(copies, s => s.CopyOfShard is not null);
            Assert.Equal(0, copy.Score);
            Assert.True(copies.Single(s => s.CopyOfShard is null).Score > 0);
        }
    }

    [Fact]
    public async Task Every_aggregated_update_is_scored_once_right_after_its_round()
    {
        var outcome = await Experiment.RunAsync(Scenario.Clean("fedavg"));

        Assert.Equal(outcome.Rounds.SelectMany(r => r.AggregatedUpdates.Select(u => (r.Round, u.ShardId, u.UpdateHash))),
            outcome.Scores.Select(s => (s.Round, s.ShardId, s.UpdateHash)));
        Assert.All(outcome.Scores, s => Assert.Equal(ContributionScoring.Rule, s.Rule));
    }

    [Fact]
    public void An_honest_worker_that_trained_on_twice_the_data_scores_higher_than_each_of_the_others()
    {
        var spec = Experiment.Spec("median");
        var model = SpecModels.Create(spec.Model);
        var weights = model.Initialize(spec.Seed);
        var text = Coordinator.Data.Dataset.Load(spec.Dataset, null).Train;
        // Five honest workers on different windows of the corpus; the last trains twice the steps, on twice the tokens.
        var updates = Enumerable.Range(0, 5).Select(i =>
        {
            var tokens = ByteTokenizer.Encode(text.AsSpan(i * 8192, 8192).ToArray());
            var steps = i == 4 ? 2 * spec.LocalSteps : spec.LocalSteps;
            var result = model.Train(weights, tokens, new TrainOptions(steps, spec.BatchSize, spec.LearningRate, (ulong)i + 1));
            return new ScoredUpdate(i, $"w{i}", $"hash-{i}", result.TokensProcessed, i, result.Update);
        }).ToList();
        var aggregate = Aggregators.Create("median", AggregatorSettings.Default)
            .Aggregate([.. updates.Select(u => new WeightedUpdate(u.Values, u.Tokens))], model.ParameterCount);

        var scores = ContributionScoring.Score(updates, aggregate);

        Assert.Equal(2 * updates[0].Tokens, updates[4].Tokens);
        Assert.All(scores.Take(4), s => Assert.True(scores[4].Score > s.Score, $"more data {scores[4].Score} vs {s.WorkerId} {s.Score}"));
    }
}
