using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Projections;

namespace Federated.Coordinator.Runs;

/// <summary>Which runs the log holds and whether each is still running: what a restarted coordinator resumes. A
/// projection of the whole log; it reads only the event types, never the payloads.</summary>
public sealed class RunCatalog : InMemoryProjection
{
    private static readonly string Launched = RunEvents.TypeNames[typeof(RunEvents.V1.RunLaunched)];
    private static readonly string Completed = RunEvents.TypeNames[typeof(RunEvents.V1.RunCompleted)];
    private static readonly string Failed = RunEvents.TypeNames[typeof(RunEvents.V1.RunFailed)];

    private readonly List<string> _running = [];

    public override string Name => "run-catalog";

    /// <summary>The runs launched and not yet completed or failed, in launch order.</summary>
    public IReadOnlyList<string> Running => _running;

    /// <summary>The runs still running, read from the whole log.</summary>
    public static async Task<IReadOnlyList<string>> RunningAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        var catalog = new RunCatalog();
        await ProjectionRunner.InMemory(catalog, store).RunToEndAsync(cancellationToken);
        return catalog.Running;
    }

    protected override void Apply(RecordedEvent recorded)
    {
        if (!recorded.StreamId.StartsWith("run-", StringComparison.Ordinal)) return;
        var runId = recorded.StreamId["run-".Length..];
        if (recorded.EventType == Launched) _running.Add(runId);
        else if (recorded.EventType == Completed || recorded.EventType == Failed) _running.Remove(runId);
    }
}
