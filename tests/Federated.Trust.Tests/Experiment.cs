using System.Collections.Concurrent;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using Federated.Worker;

namespace Federated.Trust.Tests;

/// <param name="Byzantine">How many of the <see cref="Experiment.Workers"/> workers run <paramref name="Attack"/>.</param>
public sealed record Scenario(string Aggregator, Attack Attack, int Byzantine)
{
    public static Scenario Clean(string aggregator) => new(aggregator, Attack.None, 0);

    public override string ToString() => $"{Aggregator} / {Attack} / f={Byzantine}";
}

/// <summary>How a scenario's run went: its final and initial validation loss and the rounds as recorded.</summary>
public sealed record Outcome(float FinalValidationLoss, float InitialValidationLoss, IReadOnlyList<RunEvents.V1.RoundAggregated> Rounds,
    IReadOnlyList<RunEvents.V1.ContributionScored> Scores);

/// <summary>
/// Runs a scenario as a real run: RunCoordinator on SQLite, one ShardWorker per worker, the first f of them malicious.
/// Each scenario runs once per test process; tests and the study share the results. Runs are deterministic (training,
/// shard plans and the shard-to-worker assignment are), so a scenario's loss is the same on every machine.
/// </summary>
internal static class Experiment
{
    public const int Workers = 8;
    public const int Rounds = 4;

    /// <summary>The model's context: every position of a window is a target, so a task trains on steps x batch x context tokens.</summary>
    public const int Context = 4;

    private static readonly ConcurrentDictionary<Scenario, Lazy<Task<Outcome>>> Results = new();
    private static readonly SemaphoreSlim TwoAtATime = new(2);

    /// <summary>n = 8 workers, one shard each per round; byzantineWorkers unset, so each robust rule assumes the
    /// most it tolerates for 8 updates (multi-krum: f = 2, trimmed-mean: 2 per side).</summary>
    public static RunSpec Spec(string aggregator) => new()
    {
        Name = "trust",
        Seed = 5,
        Model = new ModelSpec("gpt", new Dictionary<string, int> { ["context"] = Context, ["layers"] = 1, ["heads"] = 2, ["width"] = 16 }),
        Rounds = Rounds,
        Workers = Workers,
        ShardsPerRound = Workers,
        ShardTokens = 4096,
        LocalSteps = 20,
        BatchSize = 16,
        LearningRate = 1e-2f,
        EvalTokens = 4096,
        Aggregator = aggregator,
        // No spot checks: the study measures what the aggregators alone do against updates the coordinator accepts.
        Verification = new VerificationSpec(0),
    };

    public static Task<Outcome> RunAsync(Scenario scenario) =>
        Results.GetOrAdd(scenario, s => new Lazy<Task<Outcome>>(() => RunOnceAsync(s))).Value;

    public static async Task<float> FinalValidationLossAsync(Scenario scenario) => (await RunAsync(scenario)).FinalValidationLoss;

    private static async Task<Outcome> RunOnceAsync(Scenario scenario)
    {
        // A run spends most of its time waiting on SQLite and the driver's tick, so two overlap well; more would thrash.
        await TwoAtATime.WaitAsync();
        try
        {
            using var run = new TrustRun();
            var spec = Spec(scenario.Aggregator);
            var parameterCount = SpecModels.Create(spec.Model).ParameterCount;
            var adversary = new Adversary(run, scenario.Attack, Workers, parameterCount);
            for (var w = 1; w <= Workers; w++)
            {
                var id = $"w{w}";
                var honest = new ShardWorker(id, run.Blobs);
                var malicious = w <= scenario.Byzantine;
                await run.AddWorkerAsync(id, task => malicious ? adversary.TrainAsync(honest, task) : honest.TrainAsync(task));
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Aborted.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            RunState state;
            try
            {
                var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: timeout.Token);
                state = await run.Coordinator.DriveAsync(runId, cancellationToken: timeout.Token);
            }
            catch (OperationCanceledException) when (run.HandlerFailure is { } failure)
            {
                throw new InvalidOperationException($"{scenario}: a worker failed", failure);
            }
            if (state.Status != RunStatus.Completed)
                throw new InvalidOperationException($"{scenario}: run ended {state.Status}: {state.FailureReason}");
            var scores = new List<RunEvents.V1.ContributionScored>();
            await foreach (var e in run.Store.ReadStreamAsync(RunEvents.StreamOf(state.RunId), EventStore.ReadDirection.Forward, 0, int.MaxValue))
                if (RunEventCodec.Decode(e) is RunEvents.V1.ContributionScored scored) scores.Add(scored);
            return new Outcome(state.History[^1].Metrics.ValidationLoss, state.InitialValidationLoss, state.History, scores);
        }
        finally
        {
            TwoAtATime.Release();
        }
    }
}
