using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore.Projections;

namespace Federated.Coordinator.Tests;

/// <summary>The run catalog and a run's projection, read from the log the way a restarted coordinator and
/// `fed launch --wait` read them.</summary>
public sealed class RunReadModelTests : IDisposable
{
    private readonly TestRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task The_catalog_lists_launched_runs_that_have_not_ended_in_launch_order()
    {
        var first = await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "first");
        var second = await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "second");

        Assert.Equal([first, second], await RunCatalog.RunningAsync(_run.Store));
    }

    [Fact]
    public async Task The_catalog_leaves_out_a_run_that_failed()
    {
        var kept = await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "kept");
        var failed = await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "failed");
        await (await RunSession.LoadAsync(_run.Store, failed, TimeProvider.System)).ExecuteAsync(new FailRun("stopped by the test"));

        Assert.Equal([kept], await RunCatalog.RunningAsync(_run.Store));
    }

    [Fact]
    public async Task A_run_projection_folds_the_same_state_as_the_runs_session()
    {
        var runId = await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "followed");
        var session = await RunSession.LoadAsync(_run.Store, runId, TimeProvider.System);
        await session.ExecuteAsync(new FailRun("stopped by the test"));
        var projection = new RunProjection(runId);

        await ProjectionRunner.InMemory(projection, _run.Store).RunToEndAsync();

        Assert.Equal((session.State.Status, session.State.FailureReason, session.State.CurrentModelHash),
            (projection.State.Status, projection.State.FailureReason, projection.State.CurrentModelHash));
    }

    [Fact]
    public async Task A_run_projection_ignores_other_runs()
    {
        await _run.Coordinator.LaunchAsync(TestRun.SmallSpec(), "other");
        var projection = new RunProjection("followed");

        await ProjectionRunner.InMemory(projection, _run.Store).RunToEndAsync();

        Assert.Equal(RunStatus.None, projection.State.Status);
    }
}
