namespace Federated.EventStore.Postgres;

/// <summary>
/// One caller's append waiting for a commit. Whoever writes it completes it; a caller that gives up while it
/// still waits in the queue withdraws it, so it is never written behind the caller's back.
/// </summary>
internal sealed class PendingAppend(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource<AppendResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = Waiting;

    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public IReadOnlyList<EventData> Events { get; } = events;

    public Task<AppendResult> Completion => _completion.Task;

    /// <summary>The writer claims it; false when the caller already withdrew it.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>The caller withdraws it; false when a writer already took it (the caller must then wait for the outcome).</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

    public void Succeed(AppendResult result) => _completion.TrySetResult(result);

    public void Fail(Exception e) => _completion.TrySetException(e);
}
