using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

/// <summary>
/// One run's state, loaded from its stream and kept in step with it: a command is decided against the
/// current state and its events appended at the expected version, one command at a time. If another writer
/// got there first, the session reloads and decides again.
/// </summary>
public sealed class RunSession
{
    private readonly IEventStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private RunSession(IEventStore store, TimeProvider time, string runId)
    {
        _store = store;
        _time = time;
        RunId = runId;
    }

    public string RunId { get; }
    public string StreamId => RunEvents.StreamOf(RunId);
    public RunState State { get; private set; } = RunState.Initial;

    /// <summary>Version of the last event folded into <see cref="State"/>; -1 before the first.</summary>
    public long Version { get; private set; } = -1;

    public static async Task<RunSession> LoadAsync(IEventStore store, string runId, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var session = new RunSession(store, time, runId);
        await session.ReloadAsync(cancellationToken);
        return session;
    }

    public async Task<IReadOnlyList<object>> ExecuteAsync(RunCommand command, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var events = Run.Decide(command, State, _time.GetUtcNow());
                if (events.Count == 0) return events;
                var expected = Version < 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(Version);
                var data = events.Select((e, i) => RunEventCodec.Encode(e, StreamId, Version + 1 + i)).ToList();
                try
                {
                    // Once decided, the append runs to its end even when the caller is cancelled (a coordinator shutting
                    // down finishes the append in hand, then stops); it is one short transaction.
                    await _store.AppendAsync(StreamId, expected, data, CancellationToken.None);
                }
                catch (WrongExpectedVersionException) when (attempt < 3)
                {
                    await ReloadAsync(cancellationToken);
                    continue;
                }
                foreach (var e in events) State = RunState.Evolve(State, e);
                Version += events.Count;
                return events;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var state = RunState.Initial;
        long version = -1;
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, ReadDirection.Forward, 0, int.MaxValue, cancellationToken))
        {
            state = RunState.Evolve(state, RunEventCodec.Decode(recorded));
            version = recorded.StreamVersion;
        }
        State = state;
        Version = version;
    }
}
