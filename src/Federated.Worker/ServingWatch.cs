namespace Federated.Worker;

/// <summary>Whether the worker can take tasks now, as its <see cref="IServingProbe"/> found.</summary>
public enum ServingState
{
    /// <summary>Its queue has a consumer: tasks sent to it are taken.</summary>
    Serving,
    /// <summary>The broker cannot be reached: the bus reconnects by itself, so there is nothing to restart yet.</summary>
    BrokerAway,
    /// <summary>The broker answers but nothing consumes the worker's queue: its receive endpoint is gone.</summary>
    NotConsuming,
}

public sealed record ServingStatus(ServingState State, string Detail)
{
    public bool Serving => State == ServingState.Serving;
}

/// <summary>Tells whether this worker's queue is being consumed (asked afresh each time).</summary>
public interface IServingProbe
{
    Task<ServingStatus> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>What the worker does after a check.</summary>
public enum ServingAction
{
    /// <summary>Serving: announce itself (only now may the coordinator send it work).</summary>
    Announce,
    /// <summary>Not serving: stay silent and wait (the bus may still recover by itself).</summary>
    Wait,
    /// <summary>Not consuming for a while with the broker up: restart the bus.</summary>
    Restart,
    /// <summary>Not serving for longer than allowed: exit non-zero, so a supervisor (or operator) notices.</summary>
    GiveUp,
}

/// <summary>How long a worker waits before restarting its bus, and before giving up.</summary>
/// <param name="RestartAfter">Not consuming (with the broker up) this long before the first restart: MassTransit's own
/// reconnect gets this much time.</param>
/// <param name="FirstBackoff">Wait between the first two restarts; it doubles after each restart up to <paramref name="MaxBackoff"/>.</param>
/// <param name="GiveUpAfter">Not serving (for any reason) this long: give up.</param>
public sealed record ServingPolicy(TimeSpan RestartAfter, TimeSpan FirstBackoff, TimeSpan MaxBackoff, TimeSpan GiveUpAfter)
{
    public static ServingPolicy Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));
}

/// <summary>
/// The worker's side of liveness, as a small state machine over a clock: announce only while serving; when the queue
/// has no consumer with the broker up, restart the bus with exponential backoff; when nothing helped within the
/// policy's time, give up. Pure, so its timing is tested with a fake clock.
/// </summary>
public sealed class ServingWatch(ServingPolicy policy, TimeProvider time)
{
    private DateTimeOffset? _notServingSince;
    private DateTimeOffset _nextRestartAt = DateTimeOffset.MinValue;
    private TimeSpan _backoff = policy.FirstBackoff;

    /// <summary>Since when the worker has not been serving; null while it is.</summary>
    public DateTimeOffset? NotServingSince => _notServingSince;

    public ServingAction Observe(ServingStatus status)
    {
        var now = time.GetUtcNow();
        if (status.Serving)
        {
            _notServingSince = null;
            _backoff = policy.FirstBackoff;
            _nextRestartAt = DateTimeOffset.MinValue;
            return ServingAction.Announce;
        }
        _notServingSince ??= now;
        var down = now - _notServingSince.Value;
        if (down >= policy.GiveUpAfter) return ServingAction.GiveUp;
        if (status.State != ServingState.NotConsuming || down < policy.RestartAfter || now < _nextRestartAt) return ServingAction.Wait;
        _nextRestartAt = now + _backoff;
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, policy.MaxBackoff.Ticks));
        return ServingAction.Restart;
    }
}
