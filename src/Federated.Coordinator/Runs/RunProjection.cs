using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Projections;

namespace Federated.Coordinator.Runs;

/// <summary>One run's state folded from the log, as a read model: what `fed launch --wait` follows. Kept current by
/// <see cref="ProjectionRunner.InMemory"/>, each catch-up reading only what is new.</summary>
public sealed class RunProjection(string runId) : InMemoryProjection
{
    private readonly string _streamId = RunEvents.StreamOf(runId);

    public override string Name => $"run-state/{runId}";

    public string RunId => runId;

    public RunState State { get; private set; } = RunState.Initial;

    protected override void Apply(RecordedEvent recorded)
    {
        if (recorded.StreamId == _streamId) State = RunState.Evolve(State, RunEventCodec.Decode(recorded));
    }
}
