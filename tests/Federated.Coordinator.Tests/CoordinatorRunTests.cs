using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Verification;
using Federated.Domain.Runs;
using Federated.Engine.Parameters;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests;

public sealed class CoordinatorRunTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static async Task<(string RunId, RunState State)> RunAsync(TestRun run, Domain.Runs.RunSpec spec)
    {
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: Timeout());
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout());
        return (runId, state);
    }

    [Fact]
    public async Task An_honest_run_completes_with_falling_validation_loss()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");

        var (_, state) = await RunAsync(run, TestRun.SmallSpec(rounds: 3));

        Assert.Equal(RunStatus.Completed, state.Status);
        Assert.True(state.History[^1].Metrics.ValidationLoss < state.InitialValidationLoss,
            $"validation loss went from {state.InitialValidationLoss} to {state.History[^1].Metrics.ValidationLoss}");
    }

    [Fact]
    public async Task Every_accepted_update_is_aggregated_exactly_once()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");

        var (runId, _) = await RunAsync(run, TestRun.SmallSpec(rounds: 3));

        var events = await run.EventsAsync(runId);
        var accepted = events.OfType<UpdateAccepted>().Select(a => (a.Round, a.UpdateHash)).ToList();
        var aggregated = events.OfType<RoundAggregated>().SelectMany(r => r.AggregatedUpdates.Select(u => (r.Round, u.UpdateHash))).ToList();
        Assert.Equal(6, accepted.Count);
        Assert.Equal(accepted.Order(), aggregated.Order());
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_model_bytes()
    {
        using var first = new TestRun();
        using var second = new TestRun();
        foreach (var run in new[] { first, second })
        {
            await run.AddWorkerAsync("w1");
            await run.AddWorkerAsync("w2");
        }
        var (_, a) = await RunAsync(first, TestRun.SmallSpec(seed: 9));
        var (_, b) = await RunAsync(second, TestRun.SmallSpec(seed: 9));

        Assert.Equal(a.CurrentModelHash, b.CurrentModelHash);
    }

    [Fact]
    public async Task A_replay_of_the_log_reproduces_every_model()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");
        await RunAsync(run, TestRun.SmallSpec());

        var report = await new RunVerifier(run.Store, run.Blobs).VerifyAsync(cancellationToken: Timeout());

        Assert.True(report.IsValid, report.Failure?.ToString());
        Assert.Equal(2, report.RoundsReplayed);
    }

    [Fact]
    public async Task A_NaN_update_is_rejected_and_its_shard_trained_by_another_worker()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("honest");
        await run.AddWorkerAsync("a-poisoner", async task =>
        {
            var poison = new float[run.Coordinator.StateOf(task.RunId).Spec is { } ? CountOf(run, task) : 0];
            poison[5] = float.NaN;
            var hash = await run.Blobs.PutAsync(ParameterCodec.Encode(poison));
            return Trained(task, hash.Hex);
        });

        var (runId, state) = await RunAsync(run, TestRun.SmallSpec(rounds: 1));

        Assert.Equal(RunStatus.Completed, state.Status);
        var rejected = Assert.Single((await run.EventsAsync(runId)).OfType<UpdateRejected>());
        Assert.StartsWith(RejectionReasons.InvalidUpdate, rejected.Reason);
        Assert.Contains("index 5", rejected.Reason);
        Assert.All(state.History.Single().AggregatedUpdates, u => Assert.Equal("honest", u.WorkerId));
    }

    [Fact]
    public async Task An_update_of_the_wrong_size_is_rejected_naming_the_size()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("honest");
        await run.AddWorkerAsync("a-short", async task =>
            Trained(task, (await run.Blobs.PutAsync(ParameterCodec.Encode(new float[10]))).Hex));

        var (runId, _) = await RunAsync(run, TestRun.SmallSpec(rounds: 1));

        var rejected = Assert.Single((await run.EventsAsync(runId)).OfType<UpdateRejected>());
        Assert.Contains("malformed", rejected.Reason);
    }

    [Fact]
    public async Task An_update_whose_blob_is_missing_is_rejected()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("honest");
        await run.AddWorkerAsync("a-liar", task => Task.FromResult<ShardTrained?>(Trained(task, new string('a', 64))));

        var (runId, _) = await RunAsync(run, TestRun.SmallSpec(rounds: 1));

        var rejected = Assert.Single((await run.EventsAsync(runId)).OfType<UpdateRejected>());
        Assert.Contains("not found", rejected.Reason);
    }

    [Fact]
    public async Task A_redelivered_update_is_recorded_once()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1", async task =>
        {
            var result = await run.WorkerFor("w1").TrainAsync(task);
            await run.Coordinator.ShardTrainedAsync(result); // the transport delivers it twice
            return result;
        });

        var (runId, state) = await RunAsync(run, TestRun.SmallSpec(workers: 1, rounds: 2));

        var events = await run.EventsAsync(runId);
        Assert.Equal(2, events.OfType<UpdateSubmitted>().Count());
        Assert.Equal(2, state.AcceptedUpdates);
    }

    [Fact]
    public async Task A_silent_worker_loses_its_lease_and_its_late_update_is_rejected()
    {
        using var run = new TestRun();
        var late = new TaskCompletionSource<ShardTrained>();
        await run.AddWorkerAsync("a-silent", async task =>
        {
            late.TrySetResult(await run.WorkerFor("a-silent").TrainAsync(task));
            return null; // never answers in time
        });
        await run.AddWorkerAsync("b-honest");
        var spec = TestRun.SmallSpec(rounds: 2) with { LeaseSeconds = 1 };

        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: Timeout());
        var drive = run.Coordinator.DriveAsync(runId, cancellationToken: Timeout());
        var stale = await late.Task;
        await Task.Delay(1500);
        await run.Coordinator.ShardTrainedAsync(stale);
        var state = await drive;

        Assert.Equal(RunStatus.Completed, state.Status);
        var events = await run.EventsAsync(runId);
        Assert.Contains(events.OfType<ShardLeaseExpired>(), e => e.WorkerId == "a-silent");
        // Rejected in the run while it is still running; once it has completed, the run's stream is closed and the
        // update is recorded as late instead (which of the two depends on how fast the last round went).
        var rejected = events.OfType<UpdateRejected>().Any(r => r.WorkerId == "a-silent"
            && new[] { RejectionReasons.SignatureExpired, RejectionReasons.LeaseExpired, RejectionReasons.ShardAlreadyCompleted, RejectionReasons.WrongRound }
                .Any(reason => r.Reason.StartsWith(reason, StringComparison.Ordinal)));
        var recordedLate = (await LateMessageLog.ReadAsync(run.Store, Timeout())).Any(m => m.RunId == runId && m.WorkerId == "a-silent");
        Assert.True(rejected ^ recordedLate, $"the stale update must be rejected by the running run or recorded as late, once (rejected: {rejected}, late: {recordedLate})");
        Assert.DoesNotContain(events.OfType<UpdateAccepted>(), a => a.WorkerId == "a-silent");
    }

    [Fact]
    public async Task A_restarted_coordinator_resumes_the_run_from_the_log()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        var spec = TestRun.SmallSpec(workers: 1, rounds: 3);
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: Timeout());
        using (var stopAfterFirstRound = CancellationTokenSource.CreateLinkedTokenSource(Timeout()))
        {
            // Reported synchronously: System.Progress posts to the thread pool, where the handler could run after this block disposed the source.
            var progress = new StopAfter(1, stopAfterFirstRound);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Coordinator.DriveAsync(runId, progress, stopAfterFirstRound.Token));
        }

        await run.Dispatcher.WaitIdleAsync(); // results of shards in flight reach the old instance and the log

        var restarted = run.NewCoordinator();
        await restarted.ResumeAsync(runId, Timeout());
        await run.AddWorkerAsync("w1");
        var state = await restarted.DriveAsync(runId, cancellationToken: Timeout());

        Assert.Equal(RunStatus.Completed, state.Status);
        Assert.Equal(3, state.History.Count);
        var report = await new RunVerifier(run.Store, run.Blobs).VerifyAsync(cancellationToken: Timeout());
        Assert.True(report.IsValid, report.Failure?.ToString());
    }

    private static int CountOf(TestRun run, TrainShard task) =>
        SpecModels.Create(run.Coordinator.StateOf(task.RunId).Spec!.Model).ParameterCount;

    private static ShardTrained Trained(TrainShard task, string updateHash) => new()
    {
        RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId, WorkerId = task.WorkerId,
        UpdateHash = updateHash, Tokens = 100, TrainLoss = 1.0f,
    };

    private sealed class StopAfter(int round, CancellationTokenSource stop) : IProgress<Runs.RoundReport>
    {
        public void Report(Runs.RoundReport value)
        {
            if (value.Round == round) stop.Cancel();
        }
    }
}
