namespace Federated.EventStore.Subscriptions;

/// <summary>
/// Delivers the store-wide log to a handler in global order: first everything after the stored checkpoint,
/// then live events as they are appended, until cancelled.
/// </summary>
/// <remarks>
/// <para>At-least-once: the checkpoint is stored after each page has been handled, not after each event,
/// so after a crash the rest of the last page is delivered again. Handlers must be idempotent
/// (e.g. skip events at or below a position they stored themselves).</para>
/// <para>A handler exception stops the subscription and surfaces as <see cref="SubscriptionFailedException"/>;
/// the checkpoint never moves past an event whose handler did not complete. A live subscription
/// (<see cref="RunAsync"/>) first asks <see cref="CatchUpOptions.Retry"/>: a transient failure (the store or a node
/// it depends on is away) is retried with backoff from the checkpoint instead, and reported once per outage.</para>
/// <para>One run at a time per instance.</para>
/// </remarks>
public sealed class CatchUpSubscription
{
    private readonly IEventStoreReader _reader;
    private readonly ICheckpointStore _checkpoints;
    private readonly Func<RecordedEvent, CancellationToken, ValueTask> _handler;
    private readonly CatchUpOptions _options;
    private int _running;
    private long? _checkpoint;

    public CatchUpSubscription(
        string subscriptionId,
        IEventStoreReader reader,
        ICheckpointStore checkpoints,
        Func<RecordedEvent, CancellationToken, ValueTask> handler,
        CatchUpOptions? options = null)
    {
        StoreArguments.SubscriptionId(subscriptionId);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? new CatchUpOptions();
        _options.Validate();
        SubscriptionId = subscriptionId;
        _reader = reader;
        _checkpoints = checkpoints;
        _handler = handler;
    }

    public string SubscriptionId { get; }

    /// <summary>The last stored checkpoint (0 before anything was handled).</summary>
    public long Checkpoint => _checkpoint ?? 0;

    /// <summary>Handles every event after the checkpoint up to the end of the log, then returns how many it handled.</summary>
    public async Task<long> RunToEndAsync(CancellationToken cancellationToken = default)
    {
        EnterRun();
        try
        {
            return await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Catches up, then follows the live log until <paramref name="cancellationToken"/> is cancelled
    /// (the task then ends as cancelled) or a failure that <see cref="CatchUpOptions.Retry"/> does not call transient
    /// stops it (<see cref="SubscriptionFailedException"/> for a handler failure, the store's own exception otherwise).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        EnterRun();
        try
        {
            var retry = _options.Retry;
            SubscriptionOutage? outage = null;
            var outageStarted = 0L;
            while (true)
            {
                // Taken before reading: an append that lands while we read completes it, so it is never missed.
                var wake = _options.WakeUp?.NextAppend;
                try
                {
                    await CatchUpAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (retry.Classify(Cause(e)) is { } waitingFor)
                {
                    // Stopping during an outage is a clean stop, whatever the last try threw.
                    cancellationToken.ThrowIfCancellationRequested();
                    // Transient: forget the in-memory position (the store may have lost a checkpoint write) and try again
                    // from the stored one after a backoff; handlers are idempotent, so redelivery is harmless.
                    _checkpoint = null;
                    if (outage is null) outageStarted = _options.TimeProvider.GetTimestamp();
                    var attempts = (outage?.Attempts ?? 0) + 1;
                    var changed = outage is null || outage.WaitingFor != waitingFor;
                    outage = new SubscriptionOutage(SubscriptionId, waitingFor, Cause(e), attempts, _options.TimeProvider.GetElapsedTime(outageStarted));
                    if (changed) retry.OnOutage?.Invoke(outage);
                    await Task.Delay(retry.DelayAfter(attempts), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (outage is not null)
                {
                    retry.OnResumed?.Invoke(outage with { Downtime = _options.TimeProvider.GetElapsedTime(outageStarted) });
                    outage = null;
                }

                await WaitForAppendAsync(wake, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>The handler's own exception for a handler failure, the exception itself otherwise.</summary>
    private static Exception Cause(Exception e) => e is SubscriptionFailedException { InnerException: { } inner } ? inner : e;

    private async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        _checkpoint ??= await _checkpoints.LoadAsync(SubscriptionId, cancellationToken).ConfigureAwait(false) ?? 0;
        var handled = 0L;
        while (true)
        {
            var page = await ReadPageAsync(_checkpoint.Value, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return handled;
            }

            foreach (var recorded in page)
            {
                await HandleAsync(recorded, cancellationToken).ConfigureAwait(false);
                handled++;
            }

            var position = page[^1].GlobalPosition;
            await _checkpoints.StoreAsync(SubscriptionId, position, cancellationToken).ConfigureAwait(false);
            _checkpoint = position;
            if (page.Count < _options.PageSize)
            {
                return handled;
            }
        }
    }

    private async ValueTask HandleAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        try
        {
            await _handler(recorded, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new SubscriptionFailedException(SubscriptionId, recorded, Checkpoint, e);
        }
    }

    // The page is read to the end before handling, so the store's read is not held open while user code runs.
    private async Task<List<RecordedEvent>> ReadPageAsync(long afterPosition, CancellationToken cancellationToken)
    {
        var page = new List<RecordedEvent>();
        await foreach (var recorded in _reader.ReadAllAsync(afterPosition, _options.PageSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(recorded);
        }

        return page;
    }

    private async Task WaitForAppendAsync(Task? wake, CancellationToken cancellationToken)
    {
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Task.Delay(_options.PollInterval, _options.TimeProvider, stopPolling.Token);
        // The delay ends early (as cancelled) when the caller cancels; either way nothing here throws.
        await (wake is null ? Task.WhenAny(poll) : Task.WhenAny(wake, poll)).ConfigureAwait(false);
        await stopPolling.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void EnterRun()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"Subscription '{SubscriptionId}' is already running.");
        }
    }
}
