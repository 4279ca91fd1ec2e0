using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>
/// Warns, again and again, while any aggregated round stays unpaid longer than the configured delay: names the runs
/// and rounds, how far each payout got, and what payouts are waiting for (or why they stopped). Payouts that stall
/// for any reason (an outage that does not end, a failure, a bug) are therefore never silent.
/// </summary>
public sealed class PayoutWatch : IAsyncDisposable
{
    private readonly IEventStoreReader _store;
    private readonly PayoutFollower _follower;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly TextWriter _errors;
    private readonly UnpaidRounds _unpaid = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    /// <param name="delay">How long after its aggregation a round may stay unpaid before it is reported.</param>
    /// <param name="interval">How often the log is read and the warning repeated.</param>
    public PayoutWatch(IEventStoreReader store, PayoutFollower follower, TimeSpan delay, TimeSpan interval, TimeProvider time, TextWriter errors)
    {
        _store = store;
        _follower = follower;
        _delay = delay;
        _time = time;
        _errors = errors;
        _watching = WatchAsync(interval);
    }

    private async Task WatchAsync(TimeSpan interval)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, _stop.Token).ConfigureAwait(false);
                await CheckAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        string? unread = null;
        try
        {
            await _unpaid.CatchUpAsync(_store, cancellationToken).ConfigureAwait(false);
        }
        catch (EventStoreException e)
        {
            // What was read before still counts: rounds known unpaid stay overdue while the store is away.
            unread = e.Message;
        }
        var overdue = _unpaid.Overdue(_time.GetUtcNow(), _delay);
        if (overdue.Count == 0) return;
        var why = _follower.Failure is { } failure ? $"payouts stopped: {PayoutFollower.Describe(failure)}"
            : _follower.Outage is { } outage ? $"payouts are waiting for {outage.WaitingFor} ({outage.Error.Message}) for {outage.Downtime.TotalSeconds:0} s"
            : overdue.FirstOrDefault(r => r.LastFailure is not null) is { } failed ? $"last payout failure: {failed.LastFailure}"
            : "payouts are running";
        _errors.WriteLine($"warning: PAYOUTS OVERDUE: {overdue.Count} round(s) aggregated more than {_delay.TotalSeconds:0} s ago are not paid: " +
            $"{UnpaidRounds.Describe(overdue)}; {why}{(unread is null ? "" : $"; the log could not be read just now: {unread}")}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
    }
}
