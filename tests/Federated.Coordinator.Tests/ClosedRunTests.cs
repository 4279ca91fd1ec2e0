using System.Text;
using Federated.Chain.Attestations;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Trust;
using Federated.Domain.Runs;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests;

/// <summary>After RunCompleted or RunFailed a run's stream is closed: whatever arrives for it, from the coordinator that
/// drove it or a restarted one, appends nothing to it (late worker messages go to coordinator-late).</summary>
public sealed class ClosedRunTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static readonly byte[] AdminKey = Keccak256.HashUtf8("consortium-admin");
    private static readonly string AdminAddress = EthSigner.AddressOf(AdminKey).ToChecksumString();
    private static readonly EthereumContributionSigner Forger = new(Keccak256.HashUtf8("forger"));

    /// <summary>A completed one-round run of w1 and w2, still loaded by the coordinator that drove it.</summary>
    private static async Task<(TestRun Run, string RunId, List<object> Events)> CompletedAsync()
    {
        var run = new TestRun([AdminAddress]);
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(rounds: 1), cancellationToken: Timeout());
        Assert.Equal(RunStatus.Completed, (await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout())).Status);
        await run.Dispatcher.WaitIdleAsync();
        return (run, runId, await run.EventsAsync(runId));
    }

    /// <summary>About fifty messages a hostile broker user can send about a finished run.</summary>
    private static async Task SendForgeriesAsync(RunCoordinator coordinator, string runId, List<object> events)
    {
        var accepted = events.OfType<UpdateAccepted>().First();
        for (var i = 0; i < 40; i++)
        {
            // Updates in the workers' names: unsigned, signed by another key, and a copy of a real one on a new lease.
            var forged = new ShardTrained
            {
                RunId = runId, Round = 1, ShardId = i % 2, LeaseId = $"forged-{i}", WorkerId = i % 2 == 0 ? "w1" : "w2",
                UpdateHash = accepted.UpdateHash, Tokens = 1000, TrainLoss = 1f,
            };
            await coordinator.ShardTrainedAsync(i % 3 == 0 ? forged : Forger.Sign(forged, new TrainShard
            {
                RunId = runId, Round = 1, ShardId = forged.ShardId, LeaseId = forged.LeaseId, WorkerId = forged.WorkerId, BaseModelHash = new string('0', 64),
                ShardDataHash = new string('0', 64), ModelFamily = "gpt", ModelSettings = new Dictionary<string, int>(), LocalSteps = 1, BatchSize = 1,
                LearningRate = 0.1f, Seed = 1, LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(1),
            }), Timeout());
        }
        for (var i = 0; i < 4; i++)
        {
            await coordinator.StopAsync(new StopRunRequested { RequestId = $"stop-{i}", RunId = runId, Reason = "forged" }, Timeout());
            await coordinator.WorkerAvailableAsync(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:evil" }, Timeout());
            await coordinator.WorkerAvailableAsync(Forger.Sign(new WorkerAvailable { WorkerId = "w2", Endpoint = "queue:evil" }, DateTimeOffset.UtcNow), Timeout());
            try
            {
                // Refused where the coordinator knows w1's key; a restarted one that resumed no run does not, and takes
                // it as late. Either way the run's stream is not touched.
                await coordinator.ShardFailedAsync(new ShardFailed
                {
                    RunId = runId, Round = 1, ShardId = 0, LeaseId = accepted.LeaseId, WorkerId = "w1", Error = "forged",
                }, Timeout());
            }
            catch (UnauthorizedMessageException)
            {
            }
        }
        // And the admin's own stop, signed, for the run that has already ended.
        var issued = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await coordinator.StopAsync(new StopRunRequested
        {
            RequestId = "late-stop", RunId = runId, Reason = "too late", Admin = AdminAddress, IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.StopRun, runId, Encoding.UTF8.GetBytes("too late"), issued).Sign(AdminKey),
        }, Timeout());
    }

    [Fact]
    public async Task Forged_messages_after_RunCompleted_leave_the_runs_stream_version_unchanged()
    {
        var (run, runId, events) = await CompletedAsync();
        using var _ = run;
        var version = await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId));

        await SendForgeriesAsync(run.Coordinator, runId, events);

        Assert.Equal(version, await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId)));
    }

    [Fact]
    public async Task Forged_messages_after_RunCompleted_sent_to_a_restarted_coordinator_leave_the_runs_stream_version_unchanged()
    {
        var (run, runId, events) = await CompletedAsync();
        using var _ = run;
        var version = await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId));

        await SendForgeriesAsync(run.NewCoordinator(), runId, events);

        Assert.Equal(version, await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId)));
    }

    [Fact]
    public async Task A_late_update_to_the_coordinator_that_drove_the_run_is_recorded_as_late()
    {
        var (run, runId, events) = await CompletedAsync();
        using var _ = run;
        var accepted = events.OfType<UpdateAccepted>().First();

        await run.Coordinator.ShardTrainedAsync(new ShardTrained
        {
            RunId = runId, Round = 1, ShardId = 0, LeaseId = "late-lease", WorkerId = "w1", UpdateHash = accepted.UpdateHash, Tokens = 10, TrainLoss = 1f,
        }, Timeout());

        var late = Assert.Single(await LateMessageLog.ReadAsync(run.Store, Timeout()));
        Assert.Equal((runId, "late-lease", "Completed"), (late.RunId, late.LeaseId, late.RunStatus));
    }

    [Fact]
    public async Task A_stop_for_a_run_that_has_ended_says_so_and_appends_nothing()
    {
        var (run, runId, _) = await CompletedAsync();
        using var __ = run;
        var version = await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId));
        var issued = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var answer = await run.Coordinator.StopAsync(new StopRunRequested
        {
            RequestId = "s", RunId = runId, Reason = "late", Admin = AdminAddress, IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.StopRun, runId, Encoding.UTF8.GetBytes("late"), issued).Sign(AdminKey),
        }, Timeout());

        Assert.Equal($"run {runId} has already ended (completed); nothing to stop", answer.Error);
        Assert.Equal(version, await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId)));
    }
}
