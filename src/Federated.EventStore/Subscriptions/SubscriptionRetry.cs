namespace Federated.EventStore.Subscriptions;

/// <summary>What a live subscription waits for after a transient failure, as <see cref="SubscriptionRetry.Classify"/> names it.</summary>
/// <param name="SubscriptionId">The subscription that waits.</param>
/// <param name="WaitingFor">What it waits for, e.g. "the event store at Host=db;Database=fed".</param>
/// <param name="Error">The failure that started the outage (the handler's own exception, not the wrapper).</param>
/// <param name="Attempts">Failed tries so far in this outage.</param>
/// <param name="Downtime">Time since the outage began.</param>
public sealed record SubscriptionOutage(string SubscriptionId, string WaitingFor, Exception Error, int Attempts, TimeSpan Downtime);

/// <summary>
/// How a live <see cref="CatchUpSubscription"/> rides out outages of what it depends on (its store, a chain node): a
/// failure <see cref="Classify"/> calls transient is retried after an exponential, capped backoff, from the stored
/// checkpoint, so events handled before the failure and not yet checkpointed are delivered again (handlers are
/// idempotent). Anything else stops the subscription with <see cref="SubscriptionFailedException"/>.
/// </summary>
/// <remarks>Reporting is per outage, not per try: <see cref="OnOutage"/> once when the first try fails (and again only
/// when what it waits for changes), <see cref="OnResumed"/> once when a try succeeds.</remarks>
public sealed record SubscriptionRetry
{
    /// <summary>Retries event store failures (<see cref="EventStoreException"/>): the database is down, restarting or unreachable.</summary>
    public static SubscriptionRetry StoreOutages { get; } = new();

    /// <summary>No retry: the first failure stops the subscription (the behaviour of <see cref="CatchUpSubscription.RunToEndAsync"/>).</summary>
    public static SubscriptionRetry Never { get; } = new() { Classify = _ => null };

    /// <summary>The wait after the first failed try; doubled after each further one, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Says what a failure waits for ("the event store at ..."), or null when it is not transient (a bug, a bad
    /// event) and must stop the subscription. Gets the handler's own exception, unwrapped from <see cref="SubscriptionFailedException"/>.</summary>
    public Func<Exception, string?> Classify { get; init; } = StoreOutage;

    /// <summary>Called once when an outage begins (and when what it waits for changes).</summary>
    public Action<SubscriptionOutage>? OnOutage { get; init; }

    /// <summary>Called once when the subscription reads and handles again after an outage.</summary>
    public Action<SubscriptionOutage>? OnResumed { get; init; }

    /// <summary>The default classification: an <see cref="EventStoreException"/> anywhere in the chain of causes is an outage of the store it names.</summary>
    public static string? StoreOutage(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is EventStoreException store) return $"the event store at {store.Location}";
        }
        return null;
    }

    /// <summary>The wait before try <paramref name="attempt"/> + 1 (attempt counts failures, from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return delay < FirstDelay ? FirstDelay : delay;
    }

    internal void Validate()
    {
        if (FirstDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(FirstDelay), FirstDelay, "FirstDelay must be positive.");
        if (MaxDelay < FirstDelay) throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must be at least FirstDelay.");
        ArgumentNullException.ThrowIfNull(Classify);
    }
}
