using Federated.Chain.Hashing;
using Federated.Contracts;
using Federated.Coordinator.Trust;
using Federated.Domain.Runs;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests;

/// <summary>A worker acts only as itself: giving a lease back or leaving needs its signature too.</summary>
public sealed class WorkerNoticeTests
{
    private static readonly EthereumContributionSigner Impostor = new(Keccak256.HashUtf8("impostor"));

    private static async Task<(TestRun Run, string RunId, TrainShard Task)> LeasedAsync()
    {
        var run = new TestRun();
        var leased = new TaskCompletionSource<TrainShard>();
        await run.AddWorkerAsync("w1", task => { leased.TrySetResult(task); return Task.FromResult<ShardTrained?>(null); });
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var drive = run.Coordinator.DriveAsync(runId, cancellationToken: stop.Token);
        var task = await leased.Task.WaitAsync(stop.Token);
        return (run, runId, task);
    }

    private static ShardFailed Failed(TrainShard task) => new()
    {
        RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId, WorkerId = "w1", Error = "blob missing",
    };

    [Fact]
    public async Task An_unsigned_lease_release_in_a_registered_workers_name_is_refused_and_the_lease_kept()
    {
        var (run, runId, task) = await LeasedAsync();
        using var _ = run;

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() => run.Coordinator.ShardFailedAsync(Failed(task)));

        Assert.StartsWith($"{RejectionReasons.Unsigned}: shard-failed notice for worker w1 is unsigned", error.Message);
        Assert.DoesNotContain(await run.EventsAsync(runId), e => e is ShardLeaseExpired);
    }

    [Fact]
    public async Task A_lease_release_signed_by_another_key_is_refused()
    {
        var (run, _, task) = await LeasedAsync();
        using var __ = run;

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() => run.Coordinator.ShardFailedAsync(Impostor.Sign(Failed(task), DateTimeOffset.UtcNow)));

        Assert.StartsWith($"{RejectionReasons.UnknownSigner}: shard-failed notice for worker w1 is signed by {Impostor.Address}", error.Message);
    }

    [Fact]
    public async Task A_lease_release_signed_by_the_worker_gives_the_shard_back()
    {
        var (run, runId, task) = await LeasedAsync();
        using var _ = run;

        await run.Coordinator.ShardFailedAsync(TestRun.SignerOf("w1").Sign(Failed(task), DateTimeOffset.UtcNow));

        Assert.Contains(await run.EventsAsync(runId), e => e is ShardLeaseExpired x && x.LeaseId == task.LeaseId);
    }

    [Fact]
    public async Task An_unsigned_goodbye_cannot_take_a_registered_worker_out()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");

        await Assert.ThrowsAsync<UnauthorizedMessageException>(() => run.Coordinator.WorkerLeavingAsync(new WorkerLeaving { WorkerId = "w1" }));

        Assert.NotNull(run.Coordinator.Workers.Find("w1"));
    }

    [Fact]
    public async Task A_signed_goodbye_takes_the_worker_out()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");

        await run.Coordinator.WorkerLeavingAsync(TestRun.SignerOf("w1").Sign(new WorkerLeaving { WorkerId = "w1" }, DateTimeOffset.UtcNow));

        Assert.Null(run.Coordinator.Workers.Find("w1"));
    }
}
