using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Bench.Distributed;

/// <summary>A run's duration as its own log records it: RunLaunched to RunCompleted.</summary>
internal sealed record RunTiming(double Seconds, int Events, string FinalModelHash)
{
    public static async Task<RunTiming> ReadAsync(IEventStoreReader store, string runId)
    {
        DateTimeOffset? launched = null;
        RunEvents.V1.RunCompleted? completed = null;
        var events = 0;
        await foreach (var recorded in store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue))
        {
            events++;
            switch (RunEventCodec.Decode(recorded))
            {
                case RunEvents.V1.RunLaunched l: launched = l.LaunchedAt; break;
                case RunEvents.V1.RunCompleted c: completed = c; break;
            }
        }
        if (launched is null || completed is null) throw new InvalidOperationException($"run {runId} did not complete");
        return new RunTiming((completed.CompletedAt - launched.Value).TotalSeconds, events, completed.FinalModelHash);
    }
}
