namespace Federated.EventStore.Subscriptions;

/// <summary>How a <see cref="CatchUpSubscription"/> reads and waits.</summary>
public sealed record CatchUpOptions
{
    /// <summary>Events read per page; the checkpoint is stored after each page, so this also bounds redelivery after a crash.</summary>
    public int PageSize { get; init; } = 256;

    /// <summary>How long a live subscription waits for new events before reading again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Optional wake-up raised by an in-process store after appends (e.g. SqliteEventStore.Appended),
    /// so a live subscription sees new events without waiting for the poll.</summary>
    public AppendSignal? WakeUp { get; init; }

    /// <summary>Clock for the poll wait.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How <see cref="CatchUpSubscription.RunAsync"/> rides out outages; by default it retries store failures.
    /// <see cref="CatchUpSubscription.RunToEndAsync"/> never retries: its caller sees the first failure.</summary>
    public SubscriptionRetry Retry { get; init; } = SubscriptionRetry.StoreOutages;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
        StoreArguments.MaxCount(PageSize, nameof(PageSize));
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "PollInterval must be positive.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
