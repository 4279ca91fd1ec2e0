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

    [Theory]
    [InlineData("as-sent")]
    [InlineData("v-as-parity")]
    [InlineData("all-at-once")]
    public async Task A_copy_of_a_lease_release_is_refused_as_a_replay(string spelling)
    {
        await using var leased = await Leased.StartAsync();
        var (run, runId, task) = (leased.Run, leased.RunId, leased.Task);
        var release = TestRun.SignerOf("w1").Sign(Failed(task), DateTimeOffset.UtcNow);
        await run.Coordinator.ShardFailedAsync(release);
        var events = (await run.EventsAsync(runId)).Count;

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() =>
            run.Coordinator.ShardFailedAsync(release with { Signature = Federated.Testing.SignatureSpellings.Of(release.Signature!)[spelling] }));

        Assert.StartsWith($"{AdminRefusals.Replayed}: shard-failed notice for worker w1", error.Message);
        Assert.True((await run.EventsAsync(runId)).Count >= events); // nothing undone; the driver may move on meanwhile
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_copy_of_a_goodbye_cannot_take_the_worker_out_again_after_it_came_back(bool restart)
    {
        using var run = new TestRun();
        var signer = TestRun.SignerOf("w1");
        await run.Coordinator.WorkerAvailableAsync(signer.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:w1" }, DateTimeOffset.UtcNow.AddSeconds(-5)));
        var goodbye = signer.Sign(new WorkerLeaving { WorkerId = "w1" }, DateTimeOffset.UtcNow.AddSeconds(-3));
        await run.Coordinator.WorkerLeavingAsync(goodbye);
        var coordinator = restart ? run.NewCoordinator() : run.Coordinator;
        await coordinator.WorkerAvailableAsync(signer.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:w1" }, DateTimeOffset.UtcNow));

        var error = await Assert.ThrowsAsync<UnauthorizedMessageException>(() =>
            coordinator.WorkerLeavingAsync(goodbye with { Signature = Federated.Testing.SignatureSpellings.Of(goodbye.Signature!)["no-0x"] }));

        Assert.StartsWith($"{AdminRefusals.Replayed}: leaving notice for worker w1", error.Message);
        Assert.NotNull(coordinator.Workers.Find("w1"));
    }

    [Fact]
    public async Task A_registration_signed_before_the_workers_goodbye_cannot_bring_it_back_even_after_a_restart()
    {
        using var run = new TestRun();
        var signer = TestRun.SignerOf("w1");
        var captured = signer.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:w1" }, DateTimeOffset.UtcNow.AddSeconds(-5));
        await run.Coordinator.WorkerAvailableAsync(captured);
        await run.Coordinator.WorkerLeavingAsync(signer.Sign(new WorkerLeaving { WorkerId = "w1" }, DateTimeOffset.UtcNow.AddSeconds(-2)));

        var restarted = run.NewCoordinator();
        await restarted.WorkerAvailableAsync(captured with { Signature = Federated.Testing.SignatureSpellings.Of(captured.Signature!)["upper-case"] });

        Assert.Null(restarted.Workers.Find("w1"));
    }

    [Fact]
    public async Task A_registration_older_than_the_workers_newest_one_changes_nothing()
    {
        using var run = new TestRun();
        var signer = TestRun.SignerOf("w1");
        var old = signer.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:old" }, DateTimeOffset.UtcNow.AddSeconds(-60));
        await run.Coordinator.WorkerAvailableAsync(old);
        await run.Coordinator.WorkerAvailableAsync(signer.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:new" }, DateTimeOffset.UtcNow));

        await run.Coordinator.WorkerAvailableAsync(old);

        Assert.Equal("queue:new", run.Coordinator.Workers.Find("w1")!.Endpoint);
    }
}
