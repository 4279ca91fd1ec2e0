using System.Collections.Concurrent;
using System.Security.Cryptography;
using Federated.Blobs;
using Federated.Blobs.Access;
using Federated.Contracts;
using Federated.Coordinator.Models;
using Federated.Domain.Runs;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Tests;

/// <summary>What the coordinator tells its blob server about a lease, read from a real run's state.</summary>
public sealed class BlobLeaseDirectoryTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private sealed record Seen(TrainShard Task, BlobLease? Lease);

    /// <summary>Runs a small run whose workers note, on receiving each task, what the directory says of its lease.</summary>
    private static async Task<(TestRun Run, List<Seen> Seen, int ParameterCount)> RunNotingLeasesAsync(BlobLeaseTokens? tokens = null)
    {
        var run = new TestRun(blobTokens: tokens);
        var seen = new ConcurrentQueue<Seen>();
        foreach (var id in new[] { "w1", "w2" })
        {
            var honest = run.WorkerFor(id);
            await run.AddWorkerAsync(id, async task =>
            {
                seen.Enqueue(new Seen(task, run.Coordinator.OpenLeases.FindOpenLease(task.RunId, task.LeaseId)));
                return await honest.TrainAsync(task);
            });
        }
        var spec = TestRun.SmallSpec();
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: Timeout());
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout());
        Assert.Equal(RunStatus.Completed, state.Status);
        return (run, seen.ToList(), SpecModels.Create(spec.Model).ParameterCount);
    }

    [Fact]
    public async Task A_leased_task_opens_the_rounds_model_and_its_shard_to_its_worker_and_an_update_of_the_runs_size()
    {
        var (run, seen, parameters) = await RunNotingLeasesAsync();
        using var _ = run;

        Assert.NotEmpty(seen);
        foreach (var (task, lease) in seen)
        {
            Assert.NotNull(lease);
            Assert.Equal(task.WorkerId, lease.WorkerId);
            Assert.Equal(new HashSet<BlobHash> { BlobHash.Parse(task.BaseModelHash), BlobHash.Parse(task.ShardDataHash) }, lease.Readable);
            Assert.Equal(ParameterCodec.EncodedLength(parameters), lease.MaxUploadBytes);
        }
    }

    [Fact]
    public async Task No_lease_is_open_once_the_run_has_completed()
    {
        var (run, seen, _) = await RunNotingLeasesAsync();
        using var _ = run;

        Assert.All(seen, s => Assert.Null(run.Coordinator.OpenLeases.FindOpenLease(s.Task.RunId, s.Task.LeaseId)));
    }

    [Fact]
    public async Task Each_task_carries_the_token_the_blob_server_accepts_for_its_lease()
    {
        var tokens = new BlobLeaseTokens(RandomNumberGenerator.GetBytes(BlobLeaseTokens.SecretBytes));
        var (run, seen, _) = await RunNotingLeasesAsync(tokens);
        using var _ = run;

        Assert.All(seen, s => Assert.True(tokens.IsValidFor(s.Task.BlobToken!, s.Lease!), $"token of lease {s.Task.LeaseId} is not valid for it"));
    }
}
