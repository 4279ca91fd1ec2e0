namespace Federated.EventStore.Projections;

/// <summary>
/// A read model folded in memory from the log (the run catalog, the payout catalog, a followed run). It remembers the
/// position of the last event it applied and skips anything at or before it, so a page the subscription delivers again
/// after a failure changes nothing. Kept up to date by <see cref="ProjectionRunner.InMemory"/>: each catch-up reads only
/// what was appended since the last one.
/// </summary>
public abstract class InMemoryProjection : IProjection
{
    public abstract string Name { get; }

    /// <summary>Global position of the last event applied; 0 before the first.</summary>
    public long Position { get; private set; }

    public ValueTask ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.GlobalPosition > Position)
        {
            Apply(recorded);
            Position = recorded.GlobalPosition;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Folds one event in; called once per event, in log order.</summary>
    protected abstract void Apply(RecordedEvent recorded);
}
