using Federated.Blobs;
using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Cli.Distributed;

/// <summary>
/// The coordinator's periodic <see cref="OrphanBlobCollector"/> pass. A failed pass (store outage, a file in use) is
/// reported and tried again at the next interval; it never stops the coordinator.
/// </summary>
internal sealed class BlobCollection : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private BlobCollection(IEventStoreReader log, DirectoryBlobStore blobs, TimeSpan interval, TimeSpan grace, TextWriter output)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        var report = await OrphanBlobCollector.CollectAsync(log, blobs, grace, TimeProvider.System, _stop.Token);
                        if (report.Deleted > 0)
                            output.WriteLine($"blobs: deleted {report.Deleted} orphan(s) ({report.BytesFreed} bytes) unnamed by the log for {grace.TotalMinutes:0.#} min; kept {report.Kept}");
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Console.Error.WriteLine($"warning: blob collection failed, will try again in {interval.TotalMinutes:0.#} min: {e.Message}");
                    }
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>Null (no collection) when <paramref name="interval"/> is zero.</summary>
    public static BlobCollection? Start(IEventStoreReader log, DirectoryBlobStore blobs, TimeSpan interval, TimeSpan grace, TextWriter output) =>
        interval <= TimeSpan.Zero ? null : new BlobCollection(log, blobs, interval, grace, output);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
