using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

/// <summary>Worker messages for runs this coordinator has not loaded: after a restart, for runs that never existed,
/// and for runs already finished. None may be dropped silently while it can still count.</summary>
public sealed class WorkerMessageRoutingTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static ShardTrained UpdateFor(string runId) => new()
    {
        RunId = runId, Round = 1, ShardId = 0, LeaseId = "lease-1", WorkerId = "w1",
        UpdateHash = new string('a', 64), Tokens = 100, TrainLoss = 1f,
    };

    [Fact]
    public async Task An_update_for_a_running_run_not_loaded_yet_is_refused_so_the_bus_delivers_it_again()
    {
        using var run = new TestRun();
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(), cancellationToken: Timeout());
        var restarted = run.NewCoordinator();

        await Assert.ThrowsAsync<RunNotLoadedException>(() => restarted.ShardTrainedAsync(UpdateFor(runId), Timeout()));
    }

    [Fact]
    public async Task An_update_for_a_run_the_log_does_not_hold_is_a_fault()
    {
        using var run = new TestRun();

        var e = await Assert.ThrowsAsync<UnknownRunException>(() => run.Coordinator.ShardTrainedAsync(UpdateFor("no-such-run"), Timeout()));

        Assert.Equal("no-such-run", e.RunId);
    }

    [Fact]
    public async Task A_late_update_for_a_finished_run_leaves_the_run_closed_and_is_recorded_once_as_late()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(rounds: 1), cancellationToken: Timeout());
        Assert.Equal(RunStatus.Completed, (await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout())).Status);
        await run.Dispatcher.WaitIdleAsync();
        var before = await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId));

        var restarted = run.NewCoordinator();
        await restarted.ShardTrainedAsync(UpdateFor(runId), Timeout());
        await restarted.ShardTrainedAsync(UpdateFor(runId), Timeout());

        Assert.Equal(before, await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId)));
        var late = Assert.Single(await LateMessageLog.ReadAsync(run.Store, Timeout()));
        Assert.Equal((runId, nameof(ShardTrained), "w1", "lease-1", "Completed"), (late.RunId, late.MessageType, late.WorkerId, late.LeaseId, late.RunStatus));
    }

    [Fact]
    public async Task A_fault_delivered_twice_is_recorded_once()
    {
        using var run = new TestRun();
        var fault = new MessageFault("m-1", nameof(ShardTrained), "no-such-run", "UnknownRunException: ...", DateTimeOffset.UnixEpoch);

        await run.Coordinator.RecordFaultAsync(fault, Timeout());
        await run.Coordinator.RecordFaultAsync(fault, Timeout());

        Assert.Equal([fault], await FaultLog.ReadAsync(run.Store, Timeout()));
    }
}
