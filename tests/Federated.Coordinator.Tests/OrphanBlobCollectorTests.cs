using Federated.Blobs;
using Federated.Coordinator.Storage;
using Federated.Coordinator.Verification;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

/// <summary>
/// The collector deletes blobs no event names once they are older than the grace period, and keeps every blob a
/// finished run's events name, so `fed verify` still replays it.
/// </summary>
public sealed class OrphanBlobCollectorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>A completed run, one orphan upload and one stale temporary file, every file aged past the grace period
    /// except <paramref name="youngOrphan"/> (stored just now, also named by no event).</summary>
    private static async Task<(TestRun Run, BlobHash Orphan, string StaleTemp, BlobHash YoungOrphan)> FinishedRunWithOrphansAsync()
    {
        var run = new TestRun();
        await run.AddWorkerAsync("w1");
        await run.AddWorkerAsync("w2");
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(), cancellationToken: Timeout());
        Assert.Equal(RunStatus.Completed, (await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout())).Status);

        var orphan = await run.Blobs.PutAsync("an upload whose update was never submitted"u8.ToArray());
        var staleTemp = run.Blobs.PathOf(orphan) + ".123.abc.tmp";
        await File.WriteAllTextAsync(staleTemp, "a write cut short by a crash");
        var old = DateTime.UtcNow - Grace - TimeSpan.FromMinutes(5);
        foreach (var file in run.Blobs.ListFiles()) File.SetLastWriteTimeUtc(file.Path, old);
        var young = await run.Blobs.PutAsync("an upload made a moment ago"u8.ToArray());
        return (run, orphan, staleTemp, young);
    }

    [Fact]
    public async Task An_orphan_older_than_the_grace_period_is_deleted()
    {
        var (run, orphan, _, _) = await FinishedRunWithOrphansAsync();
        using var _ = run;

        await OrphanBlobCollector.CollectAsync(run.Store, run.Blobs, Grace, TimeProvider.System, Timeout());

        Assert.False(await run.Blobs.ExistsAsync(orphan));
    }

    [Fact]
    public async Task A_stale_temporary_file_is_deleted()
    {
        var (run, _, staleTemp, _) = await FinishedRunWithOrphansAsync();
        using var _ = run;

        await OrphanBlobCollector.CollectAsync(run.Store, run.Blobs, Grace, TimeProvider.System, Timeout());

        Assert.False(File.Exists(staleTemp));
    }

    [Fact]
    public async Task An_orphan_younger_than_the_grace_period_is_kept()
    {
        var (run, _, _, young) = await FinishedRunWithOrphansAsync();
        using var _ = run;

        await OrphanBlobCollector.CollectAsync(run.Store, run.Blobs, Grace, TimeProvider.System, Timeout());

        Assert.True(await run.Blobs.ExistsAsync(young));
    }

    [Fact]
    public async Task Every_blob_the_finished_run_names_is_kept_so_it_still_verifies()
    {
        var (run, _, _, _) = await FinishedRunWithOrphansAsync();
        using var _ = run;

        var report = await OrphanBlobCollector.CollectAsync(run.Store, run.Blobs, Grace, TimeProvider.System, Timeout());

        Assert.Equal(2, report.Deleted); // the orphan and the temporary file, nothing else
        var verified = await new RunVerifier(run.Store, run.Blobs).VerifyAsync(cancellationToken: Timeout());
        Assert.True(verified.IsValid, verified.Failure?.ToString());
    }

    [Fact]
    public async Task A_blob_stored_again_restarts_its_grace_period()
    {
        var (run, orphan, _, _) = await FinishedRunWithOrphansAsync();
        using var _ = run;

        await run.Blobs.PutAsync("an upload whose update was never submitted"u8.ToArray());
        await OrphanBlobCollector.CollectAsync(run.Store, run.Blobs, Grace, TimeProvider.System, Timeout());

        Assert.True(await run.Blobs.ExistsAsync(orphan));
    }
}
