namespace Federated.EventStore.Sessions;

/// <summary>
/// One stream's state, loaded from the store and kept in step with it: a command is decided against the current
/// state, its events appended at the expected version, then folded in. If another writer got there first, the
/// session reloads and decides again (at most <see cref="ConflictRetries"/> times, then the conflict is thrown).
/// </summary>
/// <remarks>
/// Cancellation, decided once for every aggregate: commands on one session run one at a time behind a gate, and a
/// caller cancelled while waiting for it, or while the state is being reloaded, stops there with nothing written.
/// Once a decision is made its append is not abandoned: it runs to its end even when the caller is cancelled (a
/// host shutting down finishes the append in hand, then stops; it is one short transaction), and the command
/// returns its events, so no caller ever sees "cancelled" for events that were in fact recorded.
/// </remarks>
public class StreamSession<TState, TCommand>
{
    /// <summary>How many times a command is decided again after another writer moved the stream on.</summary>
    public const int ConflictRetries = 3;

    private readonly IEventStore _store;
    private readonly StreamRules<TState, TCommand> _rules;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected StreamSession(IEventStore store, StreamRules<TState, TCommand> rules, string streamId, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        StoreArguments.StreamId(streamId);
        _store = store;
        _rules = rules;
        _time = time;
        StreamId = streamId;
        State = rules.Initial;
    }

    public string StreamId { get; }

    public TState State { get; private set; }

    /// <summary>Version of the last event folded into <see cref="State"/>; -1 before the first.</summary>
    public long Version { get; private set; } = -1;

    /// <summary>A session on <paramref name="streamId"/>, with the stream read so far folded in.</summary>
    public static Task<StreamSession<TState, TCommand>> LoadAsync(
        IEventStore store, StreamRules<TState, TCommand> rules, string streamId, TimeProvider time, CancellationToken cancellationToken = default) =>
        LoadAsync(new StreamSession<TState, TCommand>(store, rules, streamId, time), cancellationToken);

    /// <summary>Decides <paramref name="command"/>, appends its events and folds them in; returns them (none: nothing changed).</summary>
    /// <exception cref="WrongExpectedVersionException">Other writers kept moving the stream on, more than <see cref="ConflictRetries"/> times.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before a decision's append began; nothing was written.</exception>
    public async Task<IReadOnlyList<object>> ExecuteAsync(TCommand command, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var events = _rules.Decide(command, State, _time.GetUtcNow());
                if (events.Count == 0) return events;
                var expected = Version < 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(Version);
                try
                {
                    await _store.AppendAsync(StreamId, expected, _rules.Codec.EncodeAfter(events, StreamId, Version), CancellationToken.None).ConfigureAwait(false);
                }
                catch (WrongExpectedVersionException) when (attempt < ConflictRetries)
                {
                    await FoldStreamAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var e in events) State = _rules.Evolve(State, e);
                Version += events.Count;
                return events;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the stream again from the start, after any command in progress.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FoldStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads <paramref name="session"/> (a new one, of a derived type) and returns it.</summary>
    protected static async Task<TSession> LoadAsync<TSession>(TSession session, CancellationToken cancellationToken)
        where TSession : StreamSession<TState, TCommand>
    {
        ArgumentNullException.ThrowIfNull(session);
        await session.FoldStreamAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    private async Task FoldStreamAsync(CancellationToken cancellationToken)
    {
        var state = _rules.Initial;
        long version = -1;
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, ReadDirection.Forward, 0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            state = _rules.Evolve(state, _rules.Codec.Decode(recorded));
            version = recorded.StreamVersion;
        }

        State = state;
        Version = version;
    }
}
