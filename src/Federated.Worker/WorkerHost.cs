using Federated.Contracts;
using MassTransit;

namespace Federated.Worker;

/// <summary>How a worker checks that it can take tasks, and restarts its bus when it cannot.</summary>
/// <param name="Probe">Asks whether the worker's queue is being consumed.</param>
/// <param name="RestartBusAsync">Stops the bus and starts a new one (its receive endpoint with it).</param>
public sealed record WorkerSupervision(IServingProbe Probe, Func<CancellationToken, Task> RestartBusAsync, ServingPolicy Policy, TextWriter? Log = null);

/// <summary>
/// A worker's presence on the bus: announces itself on start and then every heartbeat interval (so a
/// coordinator that restarted, or that took the worker as gone after a missed lease, finds it again),
/// and says goodbye on a clean stop. With a <see cref="WorkerSupervision"/> an announcement is a promise: it is sent
/// only while the worker's queue has a consumer; otherwise the host stays silent, restarts the bus with backoff
/// (<see cref="ServingWatch"/>) and, past the policy's limit, completes <see cref="GaveUp"/> so the process exits non-zero.
/// </summary>
public sealed class WorkerHost(ShardWorker worker, Func<IPublishEndpoint> bus, TimeSpan heartbeat, TimeProvider? time = null, WorkerSupervision? supervision = null)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<string> _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServingWatch? _watch = supervision is null ? null : new ServingWatch(supervision.Policy, time ?? TimeProvider.System);
    private Task? _beats;
    private bool _silent;

    public WorkerHost(ShardWorker worker, IPublishEndpoint bus, TimeSpan heartbeat, TimeProvider? time = null) : this(worker, () => bus, heartbeat, time) { }

    /// <summary>Completes, with why, when the worker could not serve within its policy's time; never completes otherwise.</summary>
    public Task<string> GaveUp => _gaveUp.Task;

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
        if (supervision is null) await bus().Publish(Announcement, cancellationToken);
        else await BeatOnceAsync(cancellationToken);
        _beats = Task.Run(() => BeatAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(heartbeat);
        try
        {
            while (!_gaveUp.Task.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken))
                await BeatOnceAsync(cancellationToken);
        }
        catch (OperationCanceledException) { }
    }

    private async Task BeatOnceAsync(CancellationToken cancellationToken)
    {
        if (supervision is null || _watch is null)
        {
            await AnnounceAsync(cancellationToken);
            return;
        }
        var status = await supervision.Probe.CheckAsync(cancellationToken);
        switch (_watch.Observe(status))
        {
            case ServingAction.Announce:
                if (_silent) supervision.Log?.WriteLine($"serving again ({status.Detail}): announcing again");
                _silent = false;
                await AnnounceAsync(cancellationToken);
                break;
            case ServingAction.Wait:
                if (!_silent) supervision.Log?.WriteLine($"not serving ({status.Detail}): announcements paused until the queue is consumed again");
                _silent = true;
                break;
            case ServingAction.Restart:
                _silent = true;
                supervision.Log?.WriteLine($"not serving since {_watch.NotServingSince:O} ({status.Detail}): restarting the bus");
                try
                {
                    await supervision.RestartBusAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    supervision.Log?.WriteLine($"bus restart failed: {e.Message}");
                }
                break;
            case ServingAction.GiveUp:
                _gaveUp.TrySetResult($"worker {worker.WorkerId} could not serve its queue {WorkerEndpoint.QueueNameFor(worker.WorkerId)} " +
                    $"for {supervision.Policy.GiveUpAfter.TotalSeconds:0} s ({status.Detail})");
                break;
        }
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        try { await bus().Publish(Announcement, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { /* broker away: the next beat retries */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_beats is not null) await _beats;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var leaving = new WorkerLeaving { WorkerId = worker.WorkerId, Reason = "shutdown" };
            await bus().Publish(worker.Signer?.Sign(leaving, (time ?? TimeProvider.System).GetUtcNow()) ?? leaving, timeout.Token);
        }
        catch (Exception) { /* best effort: the lease deadline covers a worker that could not say goodbye */ }
        _stopping.Dispose();
    }
}
