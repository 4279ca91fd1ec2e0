using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Verification;
using Federated.Domain.Rewards;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using Federated.Engine;
using Federated.Engine.Parameters;
using Federated.Engine.Tokens;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Trust.Tests;

/// <summary>How one signed worker tries to wreck a run or take its pool without faking a signature.</summary>
public enum Oversize
{
    /// <summary>A correctly sized update of 3e38 values (the largest floats), claiming the whole shard's tokens.</summary>
    Huge,
    /// <summary>Its honest update times 1e6, claiming the whole shard's tokens.</summary>
    ScaledBy1e6,
    /// <summary>Its honest update, claiming the whole shard's tokens instead of the ones its local steps trained on.</summary>
    TokenOverclaim,
}

/// <summary>
/// One worker of four sends oversized updates or claims under the default fedavg, on real runs (SQLite, blob directory,
/// real training; spot checks off, so only the update bounds and the token ceiling stand in the way). Before the
/// bounds, a 3e38 update made round 1's model NaN, was paid most of the pool, and the run failed.
/// </summary>
public class OversizedUpdateTests
{
    private const int Workers = 4;
    private static readonly System.Numerics.BigInteger Pool = System.Numerics.BigInteger.Pow(10, 18);

    private static RunSpec Spec() => Experiment.Spec("fedavg") with { Workers = Workers, ShardsPerRound = Workers, Rounds = 2 };

    [Theory]
    [InlineData(Oversize.Huge)]
    [InlineData(Oversize.ScaledBy1e6)]
    public async Task An_oversized_update_is_rejected_the_run_completes_and_every_model_is_finite(Oversize attack)
    {
        var outcome = await RunAsync(attack);

        Assert.Equal(RunStatus.Completed, outcome.State.Status);
        Assert.All(outcome.Models, m => Assert.Equal(-1, FlatOps.IndexOfNonFinite(m)));
        var rejected = outcome.Events.OfType<UpdateRejected>().Where(r => r.WorkerId == "w1").ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => Assert.Equal(RejectionReasons.UpdateNormOutOfBounds, RejectionReasons.CodeOf(r.Reason)));
    }

    [Theory]
    [InlineData(Oversize.Huge)]
    [InlineData(Oversize.ScaledBy1e6)]
    public async Task An_oversized_update_is_neither_aggregated_nor_scored(Oversize attack)
    {
        var outcome = await RunAsync(attack);

        Assert.Equal(2, outcome.State.History.Count);
        Assert.DoesNotContain(outcome.State.History.SelectMany(h => h.AggregatedUpdates), u => u.WorkerId == "w1");
        Assert.DoesNotContain(outcome.Events.OfType<ContributionScored>(), s => s.WorkerId == "w1"); // no score
        // Paid by the default token score: the attacker's share of every round's pool is nothing.
        Assert.All(outcome.State.History, round =>
            Assert.DoesNotContain(RewardPolicy.Allocate(Pool, round, TokensProcessedScore.Instance), s => s.WorkerId == "w1"));
    }

    [Theory]
    [InlineData(Oversize.Huge)]
    [InlineData(Oversize.TokenOverclaim)]
    public async Task Fed_verify_replays_the_attacked_run_with_the_same_rules(Oversize attack)
    {
        var outcome = await RunAsync(attack);

        Assert.Null(outcome.Verification.Failure);
        Assert.Equal(2, outcome.Verification.RoundsReplayed);
    }

    [Fact]
    public async Task A_token_overclaim_weighs_and_scores_no_more_than_an_honest_update()
    {
        var outcome = await RunAsync(Oversize.TokenOverclaim);

        var spec = Spec();
        // steps x batch x context: every position of a window is a target
        var ceiling = SpecModels.Create(spec.Model).TrainTokens(spec.LocalSteps, spec.BatchSize, spec.ShardTokens);
        var claims = outcome.Events.OfType<UpdateSubmitted>().Where(s => s.WorkerId == "w1").ToList();
        Assert.All(claims, c => Assert.Equal(spec.ShardTokens, c.Tokens)); // it did claim the whole shard (3.2 x the ceiling)
        Assert.All(outcome.Events.OfType<UpdateAccepted>(), a => Assert.Equal(ceiling, a.Weight));
        var scores = outcome.Events.OfType<ContributionScored>().ToList();
        Assert.Contains(scores, s => s.WorkerId == "w1");
        Assert.All(scores.Where(s => s.WorkerId == "w1"), s => Assert.True(s.Score <= ceiling, $"round {s.Round}: {s.Score}"));
        // The default token-score payout gives it the honest share of the pool (a quarter, give or take one base unit).
        Assert.All(outcome.State.History, round =>
            Assert.True(RewardPolicy.Allocate(Pool, round, TokensProcessedScore.Instance).Single(s => s.WorkerId == "w1").Amount <= Pool / Workers + 1));
    }

    [Fact]
    public async Task With_the_bounds_opened_wide_a_model_that_overflows_fails_the_run_instead_of_being_recorded()
    {
        // Bounds an operator opened to let 3e38 through, and an outer step of 10: the next model is infinite.
        var spec = Spec() with
        {
            OuterLearningRate = 10,
            Verification = new VerificationSpec(0) { MaxUpdateValue = 1e39, MaxUpdateNormRatio = 1e300, MaxNormToMedian = 1e300 },
        };

        var outcome = await RunOnceAsync(Oversize.Huge, spec);

        Assert.Equal(RunStatus.Failed, outcome.State.Status);
        Assert.StartsWith("round 1 could not be aggregated: the next model", outcome.State.FailureReason);
        Assert.Empty(outcome.State.History); // no model that is not a number was recorded, so no worker trains from one
        Assert.Null(outcome.Verification.Failure);
    }

    [Fact]
    public void The_token_ceiling_is_exactly_what_training_reports()
    {
        var tokens = ByteTokenizer.Encode(Coordinator.Data.Dataset.Load(Spec().Dataset, null).Train.AsSpan(0, 300).ToArray());
        ILanguageModel[] models =
        [
            SpecModels.Create(Spec().Model),
            SpecModels.Create(new ModelSpec("gpt", new Dictionary<string, int> { ["vocab"] = 256, ["context"] = 16, ["layers"] = 1, ["heads"] = 1, ["width"] = 8 })),
        ];
        foreach (var model in models)
        {
            foreach (var shard in new[] { 9, 300 })
            {
                var trained = model.Train(model.Initialize(1), tokens.AsSpan(0, shard), new TrainOptions(3, 5, 1e-3f, 1));
                Assert.Equal(trained.TokensProcessed, model.TrainTokens(3, 5, shard));
            }
        }
    }

    [Fact]
    public async Task A_worker_whose_training_diverges_gives_the_shard_back_instead_of_sending_a_nan_loss()
    {
        using var run = new TrustRun();
        var spec = Spec();
        var model = SpecModels.Create(spec.Model);
        var poisoned = Enumerable.Repeat(3e38f, model.ParameterCount).ToArray(); // finite, but no training survives it
        var baseHash = await run.Blobs.PutAsync(ParameterCodec.Encode(poisoned));
        var data = await run.Blobs.PutAsync(Coordinator.Data.Dataset.Load(spec.Dataset, null).Train.AsMemory(0, 2048));
        var task = new TrainShard
        {
            RunId = "r", Round = 1, ShardId = 1, LeaseId = "lease", WorkerId = "w1", BaseModelHash = baseHash.Hex, ShardDataHash = data.Hex,
            ModelFamily = spec.Model.Family, ModelSettings = spec.Model.Settings, LocalSteps = 2, BatchSize = 4, LearningRate = 1e-2f, Seed = 1,
            LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
        };

        var worker = new ShardWorker("w1", run.Blobs, signer: TrustRun.SignerOf("w1"));

        var error = await Assert.ThrowsAsync<TrainingDivergedException>(() => worker.TrainAsync(task));

        Assert.Contains("diverged", error.Message);
        // The queue hands the shard back with a notice the coordinator accepts from a registered worker: a signed one.
        await using var queue = new ShardTrainingQueue(worker, () => throw new InvalidOperationException("no bus in this test"));
        var notice = queue.Refusal(task, error.Message);
        Assert.NotNull(notice.Signature);
        Assert.Equal(task.LeaseId, notice.LeaseId);
    }

    private sealed record Outcome(RunState State, IReadOnlyList<object> Events, IReadOnlyList<float[]> Models, VerifyReport Verification);

    private static readonly Dictionary<Oversize, Lazy<Task<Outcome>>> Outcomes =
        Enum.GetValues<Oversize>().ToDictionary(a => a, a => new Lazy<Task<Outcome>>(() => RunOnceAsync(a)));

    private static Task<Outcome> RunAsync(Oversize attack) => Outcomes[attack].Value;

    private static async Task<Outcome> RunOnceAsync(Oversize attack, RunSpec? spec = null)
    {
        using var run = new TrustRun();
        spec ??= Spec();
        var parameterCount = SpecModels.Create(spec.Model).ParameterCount;
        for (var w = 1; w <= Workers; w++)
        {
            var honest = new ShardWorker($"w{w}", run.Blobs);
            var attacker = w == 1;
            await run.AddWorkerAsync($"w{w}", async task => attacker ? await AttackAsync(run, honest, task, attack, parameterCount) : await honest.TrainAsync(task));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Aborted.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: timeout.Token);
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: timeout.Token);
        var events = new List<object>();
        await foreach (var e in run.Store.ReadStreamAsync(RunEvents.StreamOf(runId), EventStore.ReadDirection.Forward, 0, int.MaxValue))
            events.Add(RunEventCodec.Decode(e));
        var models = new List<float[]>();
        foreach (var round in state.History)
            models.Add(ParameterCodec.Decode(await run.Blobs.GetAsync(BlobHash.Parse(round.ModelHash)), parameterCount));
        var verification = await new RunVerifier(run.Store, run.Blobs).VerifyAsync();
        return new Outcome(state, events, models, verification);
    }

    private static async Task<ShardTrained> AttackAsync(TrustRun run, ShardWorker honest, TrainShard task, Oversize attack, int parameterCount)
    {
        var trained = await honest.TrainAsync(task);
        var shardTokens = (await run.Blobs.GetAsync(BlobHash.Parse(task.ShardDataHash))).Length;
        if (attack == Oversize.TokenOverclaim) return trained with { Tokens = shardTokens };
        var update = attack == Oversize.Huge
            ? Enumerable.Repeat(3e38f, parameterCount).ToArray()
            : ParameterCodec.Decode(await run.Blobs.GetAsync(BlobHash.Parse(trained.UpdateHash)), parameterCount).Select(v => v * 1e6f).ToArray();
        var hash = await run.Blobs.PutAsync(ParameterCodec.Encode(update));
        return trained with { UpdateHash = hash.Hex, Tokens = shardTokens };
    }
}
