using Federated.Blobs;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Verification;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using Federated.Engine.Parameters;
using Federated.EventStore;
using Federated.EventStore.Sqlite;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Trust.Tests;

/// <summary>
/// `fed verify` applies the update bounds and the token ceiling itself: a log whose accepted weight is above what the
/// local steps train on, or whose aggregated update breaks the absolute bound of the spec it records, fails replay
/// even though its models reproduce. Each log is a real run copied into a fresh store, with one event changed.
/// </summary>
public class VerifyBoundsTests
{
    /// <summary>Bounds 100 x looser than the defaults, so the run accepts w1's 50 x scaled updates; the relative rule is
    /// the default, so the models are the same under either.</summary>
    private static readonly VerificationSpec Loose = new(0) { MaxUpdateValue = 1e5, MaxUpdateNormRatio = 1_000 };

    [Fact]
    public async Task The_unchanged_copy_of_a_run_verifies()
    {
        var report = await VerifyChangedCopyAsync(e => e);

        Assert.Null(report.Failure);
    }

    [Fact]
    public async Task A_log_that_accepted_a_weight_above_the_local_steps_ceiling_fails_verify()
    {
        var report = await VerifyChangedCopyAsync(e => e is UpdateAccepted { WorkerId: "w2" } a ? a with { Weight = 4_096 } : e);

        Assert.NotNull(report.Failure);
        Assert.Contains($"above the {20 * 16 * Experiment.Context} tokens its 20 local steps of batch 16 train on", report.Failure.Reason);
    }

    [Fact]
    public async Task A_log_that_aggregated_an_update_outside_the_recorded_bounds_fails_verify()
    {
        // The same run, but its spec says the default bounds: w1's updates (about 50 x an honest one) break them.
        var report = await VerifyChangedCopyAsync(e => e is RunLaunched l ? l with { Spec = l.Spec with { Verification = new VerificationSpec(0) } } : e);

        Assert.NotNull(report.Failure);
        Assert.Contains("breaks the update bound", report.Failure.Reason);
    }

    private static async Task<VerifyReport> VerifyChangedCopyAsync(Func<object, object> change)
    {
        using var run = new TrustRun();
        var spec = Experiment.Spec("fedavg") with { Workers = 4, ShardsPerRound = 4, Rounds = 1, Verification = Loose };
        var parameterCount = SpecModels.Create(spec.Model).ParameterCount;
        for (var w = 1; w <= 4; w++)
        {
            var honest = new ShardWorker($"w{w}", run.Blobs);
            var scales = w == 1;
            await run.AddWorkerAsync($"w{w}", async task =>
            {
                var trained = await honest.TrainAsync(task);
                if (!scales) return trained;
                var update = ParameterCodec.Decode(await run.Blobs.GetAsync(BlobHash.Parse(trained.UpdateHash)), parameterCount);
                return trained with { UpdateHash = (await run.Blobs.PutAsync(ParameterCodec.Encode([.. update.Select(v => v * 50f)]))).Hex };
            });
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Aborted.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: timeout.Token);
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: timeout.Token);
        Assert.Equal(RunStatus.Completed, state.Status);

        var path = Path.Combine(Path.GetTempPath(), "fed-verify-copy-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        try
        {
            using var copy = new SqliteEventStore(path);
            var stream = RunEvents.StreamOf(runId);
            await foreach (var recorded in run.Store.ReadStreamAsync(stream, ReadDirection.Forward, 0, int.MaxValue))
            {
                var changed = change(RunEventCodec.Decode(recorded));
                var expected = recorded.StreamVersion == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(recorded.StreamVersion - 1);
                await copy.AppendAsync(stream, expected, [RunEventCodec.Encode(changed, stream, recorded.StreamVersion)]);
            }
            return await new RunVerifier(copy, run.Blobs).VerifyAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
