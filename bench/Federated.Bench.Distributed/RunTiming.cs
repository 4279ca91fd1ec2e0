using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Bench.Distributed;

/// <summary>A run's duration as its own log records it: RunLaunched to RunCompleted, and where each round's time
/// went, from the events' recorded times: opening to the first lease, the first lease to the last accepted update
/// (training and transfers), the last accepted update to RoundAggregated (validation, aggregation, evaluation,
/// scoring), and RoundAggregated to the next RoundOpened.</summary>
internal sealed record RunTiming(double Seconds, int Events, string FinalModelHash, RoundPhases Phases)
{
    public static async Task<RunTiming> ReadAsync(IEventStoreReader store, string runId)
    {
        DateTimeOffset? launched = null;
        RunEvents.V1.RunCompleted? completed = null;
        var events = 0;
        var phases = new RoundPhases();
        DateTimeOffset? opened = null, firstLease = null, lastAccepted = null, aggregated = null;
        await foreach (var recorded in store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue))
        {
            events++;
            var at = recorded.RecordedAt;
            switch (RunEventCodec.Decode(recorded))
            {
                case RunEvents.V1.RunLaunched l: launched = l.LaunchedAt; break;
                case RunEvents.V1.RunCompleted c: completed = c; break;
                case RunEvents.V1.RoundOpened:
                    if (aggregated is { } previous) phases.Between += (at - previous).TotalSeconds;
                    opened = at; firstLease = null; lastAccepted = null;
                    break;
                case RunEvents.V1.ShardLeased when firstLease is null:
                    firstLease = at;
                    if (opened is { } o) phases.ToFirstLease += (at - o).TotalSeconds;
                    break;
                case RunEvents.V1.UpdateAccepted: lastAccepted = at; break;
                case RunEvents.V1.RoundAggregated:
                    if (firstLease is { } f && lastAccepted is { } a)
                    {
                        phases.Training += (a - f).TotalSeconds;
                        phases.Aggregating += (at - a).TotalSeconds;
                    }
                    aggregated = at;
                    phases.Rounds++;
                    break;
            }
        }
        if (launched is null || completed is null) throw new InvalidOperationException($"run {runId} did not complete");
        return new RunTiming((completed.CompletedAt - launched.Value).TotalSeconds, events, completed.FinalModelHash, phases);
    }
}

/// <summary>Seconds summed over a run's rounds, per phase (see <see cref="RunTiming"/>).</summary>
internal sealed class RoundPhases
{
    public int Rounds { get; set; }
    public double ToFirstLease { get; set; }
    public double Training { get; set; }
    public double Aggregating { get; set; }
    public double Between { get; set; }

    public string PerRound(IFormatProvider format) => Rounds == 0 ? "" :
        string.Create(format, $"{ToFirstLease / Rounds,8:F2} {Training / Rounds,8:F2} {Aggregating / Rounds,8:F2} {Between / Rounds,8:F2}");
}
