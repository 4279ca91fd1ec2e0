namespace Federated.EventStore;

/// <summary>
/// In-process wake-up raised by a store after each committed append, so live subscriptions need not
/// wait for their next poll. It carries no data: a woken reader still reads the log from its position.
/// </summary>
public sealed class AppendSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>
    /// Completes at the first <see cref="Notify"/> after this property is read. Read it before reading the
    /// log, then wait on it: an append that lands in between completes it, so no wake-up is missed.
    /// </summary>
    public Task NextAppend => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting on <see cref="NextAppend"/>.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    // Continuations run asynchronously so a waking subscriber never runs inside the appender's call.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
