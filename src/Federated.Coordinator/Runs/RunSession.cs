using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Sessions;

namespace Federated.Coordinator.Runs;

/// <summary>One run's state kept in step with its stream (see <see cref="StreamSession{TState, TCommand}"/> for the
/// decide / append / fold loop, conflict retries and cancellation).</summary>
public sealed class RunSession : StreamSession<RunState, RunCommand>
{
    public static readonly StreamRules<RunState, RunCommand> Rules = new(RunState.Initial, Run.Decide, RunState.Evolve, RunEventCodec.Codec);

    private RunSession(IEventStore store, TimeProvider time, string runId)
        : base(store, Rules, RunEvents.StreamOf(runId), time) => RunId = runId;

    public string RunId { get; }

    public static Task<RunSession> LoadAsync(IEventStore store, string runId, TimeProvider time, CancellationToken cancellationToken = default) =>
        LoadAsync(new RunSession(store, time, runId), cancellationToken);
}
