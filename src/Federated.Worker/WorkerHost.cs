using Federated.Contracts;
using MassTransit;

namespace Federated.Worker;

/// <summary>
/// A worker's presence on the bus: announces itself on start and then every heartbeat interval (so a
/// coordinator that restarted, or that took the worker as gone after a missed lease, finds it again),
/// and says goodbye on a clean stop.
/// </summary>
public sealed class WorkerHost(ShardWorker worker, IPublishEndpoint bus, TimeSpan heartbeat, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _beats;

    /// <summary>Signed afresh for every beat when the worker has an identity, so it never goes stale.</summary>
    public WorkerAvailable Announcement
    {
        get
        {
            var announcement = new WorkerAvailable { WorkerId = worker.WorkerId, Threads = worker.Threads, Endpoint = WorkerEndpoint.AddressFor(worker.WorkerId) };
            return worker.Signer is null ? announcement : worker.Signer.Sign(announcement, (time ?? TimeProvider.System).GetUtcNow());
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await bus.Publish(Announcement, cancellationToken);
        _beats = Task.Run(() => BeatAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try { await bus.Publish(Announcement, cancellationToken); }
                catch (Exception e) when (e is not OperationCanceledException) { /* broker away: the next beat retries */ }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_beats is not null) await _beats;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var leaving = new WorkerLeaving { WorkerId = worker.WorkerId, Reason = "shutdown" };
            await bus.Publish(worker.Signer?.Sign(leaving, (time ?? TimeProvider.System).GetUtcNow()) ?? leaving, timeout.Token);
        }
        catch (Exception) { /* best effort: the lease deadline covers a worker that could not say goodbye */ }
        _stopping.Dispose();
    }
}
