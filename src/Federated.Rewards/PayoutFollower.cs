using Federated.EventStore;
using Federated.EventStore.Subscriptions;

namespace Federated.Rewards;

/// <summary>
/// The live payout subscription of a process (`fed coordinator` with a chain, the embedded chain of `fed demo` /
/// `fed run`): follows the log and pays every aggregated round, waiting out store and chain outages
/// (<see cref="PayoutOutages"/>), and resuming from its checkpoint (the saga pays each round exactly once).
/// A failure that is not an outage stops it: it is written to the error log at once and kept in <see cref="Failure"/>
/// for the host to end with a non-zero exit; the task is always observed, so no exception goes unnoticed.
/// </summary>
public sealed class PayoutFollower : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _following;

    private PayoutFollower(Func<PayoutFollower, CatchUpSubscription> subscription, TextWriter errors)
    {
        _following = FollowAsync(subscription(this), errors);
    }

    /// <summary>The outage payouts are waiting out now, or null.</summary>
    public SubscriptionOutage? Outage { get; private set; }

    /// <summary>Why payouts stopped, or null while they run (or after a clean stop).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Starts paying from the subscription's checkpoint.</summary>
    /// <param name="handler">The round payer's handler, possibly wrapped (e.g. to log each paid round).</param>
    /// <param name="chain">The chain node's endpoint, named when payouts wait for it.</param>
    /// <param name="log">Where outages and recoveries are reported.</param>
    /// <param name="errors">Where a stop is reported.</param>
    public static PayoutFollower Start(IEventStoreReader store, ICheckpointStore checkpoints, Func<RecordedEvent, CancellationToken, ValueTask> handler,
        Uri chain, TextWriter log, TextWriter errors, CatchUpOptions? options = null)
    {
        var retry = PayoutOutages.Retry(chain, log);
        return new PayoutFollower(follower =>
        {
            var watched = retry with
            {
                OnOutage = o => { follower.Outage = o; retry.OnOutage?.Invoke(o); },
                OnResumed = o => { follower.Outage = null; retry.OnResumed?.Invoke(o); },
            };
            var live = (options ?? new CatchUpOptions { PollInterval = TimeSpan.FromMilliseconds(200) }) with { Retry = watched };
            return new CatchUpSubscription(RoundPayer.SubscriptionId, store, checkpoints, handler, live);
        }, errors);
    }

    private async Task FollowAsync(CatchUpSubscription subscription, TextWriter errors)
    {
        await Task.Yield();
        try
        {
            await subscription.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Failure = e;
            errors.WriteLine($"error: payouts stopped and will not resume in this process: {Describe(e)}");
        }
    }

    /// <summary>The failure's own message (the handler's, for a handler failure) and where it happened.</summary>
    public static string Describe(Exception e) => e is SubscriptionFailedException { InnerException: { } inner } failed
        ? $"{inner.Message} (at global position {failed.FailedPosition}; checkpoint {failed.Checkpoint})"
        : e.Message;

    /// <summary>Stops following (an outage being waited out ends at once) and returns why payouts had stopped, if they had.</summary>
    public async Task<Exception?> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _following.ConfigureAwait(false);
        return Failure;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
