using Federated.EventStore.Serialization;
using Federated.EventStore.Sessions;

namespace Federated.EventStore.Tests.Support;

/// <summary>A small aggregate for the session tests: a running total that each Add command raises.</summary>
public sealed record Tally(int Total, int Adds)
{
    public static readonly StreamRules<Tally, AddToTally> Rules = new(
        new Tally(0, 0),
        (command, _, _) => command.Amount == 0 ? [] : [new TallyAdded(command.Amount)],
        (state, e) => e is TallyAdded added ? state with { Total = state.Total + added.Amount, Adds = state.Adds + 1 } : state,
        new EventCodec(new Guid("3d3c6a55-8f6e-4a0b-9a53-6b7f1d2c0e11"), new Dictionary<Type, string> { [typeof(TallyAdded)] = "TallyAdded.V1" }));
}

/// <summary>Raise the total by <see cref="Amount"/>; 0 changes nothing (no event).</summary>
public sealed record AddToTally(int Amount);

public sealed record TallyAdded(int Amount);

/// <summary>The store under test with a hook before each append, to stage races, delays and cancellations.</summary>
public sealed class InterceptedStore(IEventStore inner, Func<string, CancellationToken, Task> beforeAppend) : IEventStore
{
    /// <summary>Every append's outcome, in order: null for success, else the exception it threw.</summary>
    public List<Exception?> Appends { get; } = [];

    /// <summary>The cancellation token each append was given.</summary>
    public List<CancellationToken> Tokens { get; } = [];

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        lock (Appends) Tokens.Add(cancellationToken);
        await beforeAppend(streamId, cancellationToken);
        try
        {
            var result = await inner.AppendAsync(streamId, expected, events, cancellationToken);
            lock (Appends) Appends.Add(null);
            return result;
        }
        catch (Exception e)
        {
            lock (Appends) Appends.Add(e);
            throw;
        }
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, direction, fromVersion, maxCount, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(fromPositionExclusive, maxCount, cancellationToken);

    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) =>
        inner.GetStreamVersionAsync(streamId, cancellationToken);

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        inner.GetHeadPositionAsync(cancellationToken);
}
