using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

/// <summary>Which runs the log holds and whether each is still running: what a restarted coordinator resumes.</summary>
public static class RunCatalog
{
    public static async Task<IReadOnlyList<string>> RunningAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        var running = new List<string>();
        await foreach (var e in store.ReadAllAsync(0, int.MaxValue, cancellationToken))
        {
            if (!e.StreamId.StartsWith("run-", StringComparison.Ordinal)) continue;
            var runId = e.StreamId["run-".Length..];
            if (e.EventType == RunEvents.TypeNames[typeof(RunEvents.V1.RunLaunched)]) running.Add(runId);
            else if (e.EventType == RunEvents.TypeNames[typeof(RunEvents.V1.RunCompleted)] || e.EventType == RunEvents.TypeNames[typeof(RunEvents.V1.RunFailed)])
                running.Remove(runId);
        }
        return running;
    }
}
