using Federated.Domain.Runs;
using Federated.EventStore;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Rewards;

/// <summary>An aggregated round as the payout needs it: the run's spec, the RoundAggregated event and the log's
/// hash-chain value at that event (the segment hash the commitment covers), the contribution scores recorded with it
/// (written in the same append, right after it; none in logs from before scoring), and the workers' registered addresses.</summary>
/// <param name="RegisteredAddresses">Worker id to the address it proved it holds (WorkerIdentified), as the log stood at
/// this round; what <see cref="RegisteredWorkerAddresses"/> pays.</param>
public sealed record AggregatedRound(string RunId, RunSpec Spec, RoundAggregated Round, byte[] SegmentHash,
    IReadOnlyDictionary<string, string>? RegisteredAddresses = null)
{
    public IReadOnlyList<ContributionScored> Scores { get; init; } = [];

    /// <summary>What this round's contributions are paid by: <see cref="Domain.Rewards.ContributionQualityScore"/> when scores were recorded.</summary>
    public Domain.Rewards.IContributionScore ScoreRule(Domain.Rewards.IContributionScore fallback) =>
        Domain.Rewards.ContributionQualityScore.For(Scores, fallback);
}

public static class RunRounds
{
    /// <summary>Every aggregated round of the run, in order.</summary>
    public static async Task<IReadOnlyList<AggregatedRound>> ReadAsync(IEventStoreReader store, string runId, CancellationToken cancellationToken = default)
    {
        RunSpec? spec = null;
        var rounds = new List<AggregatedRound>();
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var recorded in store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!IsRoundAggregated(recorded) && recorded.EventType != RunEvents.TypeNames[typeof(RunLaunched)]
                && recorded.EventType != RunEvents.TypeNames[typeof(ContributionScored)]
                && recorded.EventType != RunEvents.TypeNames[typeof(WorkerIdentified)]) continue;
            switch (PayoutEventCodec.Decode(recorded))
            {
                case RunLaunched launched:
                    spec = launched.Spec;
                    break;
                case WorkerIdentified identified:
                    addresses[identified.WorkerId] = identified.Address;
                    break;
                case RoundAggregated aggregated when spec is not null:
                    rounds.Add(new AggregatedRound(runId, spec, aggregated, recorded.Hash, new Dictionary<string, string>(addresses, StringComparer.Ordinal)));
                    break;
                case ContributionScored scored when rounds.Count > 0 && rounds[^1].Round.Round == scored.Round:
                    rounds[^1] = rounds[^1] with { Scores = [.. rounds[^1].Scores, scored] };
                    break;
            }
        }
        return rounds;
    }

    public static bool IsRoundAggregated(RecordedEvent recorded) =>
        recorded.StreamId.StartsWith("run-", StringComparison.Ordinal) && recorded.EventType == RunEvents.TypeNames[typeof(RoundAggregated)];
}
