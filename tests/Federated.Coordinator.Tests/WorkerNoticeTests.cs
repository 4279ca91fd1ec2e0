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

    /// <summary>A run whose one shard is leased to w1 (which never answers), driven until the test ends.</summary>
    private sealed class Leased : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private Task? _drive;

        public TestRun Run { get; } = new();
        public string RunId { get; private set; } = "";
        public TrainShard Task { get; private set; } = null!;

        public static async Task<Leased> StartAsync()
        {
            var leased = new Leased();
            var task = new TaskCompletionSource<TrainShard>();
            await leased.Run.AddWorkerAsync("w1", t => { task.TrySetResult(t); return System.Threading.Tasks.Task.FromResult<ShardTrained?>(null); });
            leased.RunId = await leased.Run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));
            leased._drive = leased.Run.Coordinator.DriveAsync(leased.RunId, cancellationToken: leased._stop.Token);
            leased.Task = await task.Task.WaitAsync(leased._stop.Token);
            return leased;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { if (_drive is not null) await _drive; } catch (OperationCanceledException) { }
            _stop.Dispose();
            Run.Dispose();
        }
    }

    private static ShardFailed Failed(TrainShard task) => new()
    {
        RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId, WorkerId = "w1", Error = "blob missing",
    };

    [Fact]
    public async Task An_unsigned_lease_release_in_a_registered_workers_name_is_refused_and_the_lease_kept()
    {
        await using var leased = await Leased.StartAsync();
        var (run, runId, task) = (leased.Run, leased.RunId, leased.Task);

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() => run.Coordinator.ShardFailedAsync(Failed(task)));

        Assert.StartsWith($"{RejectionReasons.Unsigned}: shard-failed notice for worker w1 is unsigned", error.Message);
        Assert.DoesNotContain(await run.EventsAsync(runId), e => e is ShardLeaseExpired);
    }

    [Fact]
    public async Task A_lease_release_signed_by_another_key_is_refused()
    {
        await using var leased = await Leased.StartAsync();
        var (run, task) = (leased.Run, leased.Task);

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() => run.Coordinator.ShardFailedAsync(Impostor.Sign(Failed(task), DateTimeOffset.UtcNow)));

        Assert.StartsWith($"{RejectionReasons.UnknownSigner}: shard-failed notice for worker w1 is signed by {Impostor.Address}", error.Message);
    }

    [Fact]
    public async Task A_lease_release_signed_by_the_worker_gives_the_shard_back()
    {
        await using var leased = await Leased.StartAsync();
        var (run, runId, task) = (leased.Run, leased.RunId, leased.Task);

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
