using Federated.Domain.Payouts;
using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>An aggregated round whose payout is not confirmed: when it was aggregated and how far its payout got.</summary>
public sealed record UnpaidRound(string RunId, int Round, DateTimeOffset AggregatedAt, PayoutStatus Status, string? LastFailure)
{
    public override string ToString() => $"{RunId} round {Round}";
}

/// <summary>
/// Which aggregated rounds are not paid yet, folded from the log one event at a time (so a watcher can keep reading
/// from where it stopped): a round is paid when its payout stream records the payout confirmed. What `fed verify`
/// and the coordinator's overdue warning report.
/// </summary>
public sealed class UnpaidRounds
{
    private readonly Dictionary<(string RunId, int Round), DateTimeOffset> _aggregated = [];
    private readonly Dictionary<string, PayoutState> _payouts = new(StringComparer.Ordinal);

    /// <summary>The global position of the last event applied (read on from there).</summary>
    public long Position { get; private set; }

    public void Apply(RecordedEvent recorded)
    {
        Position = recorded.GlobalPosition;
        if (RunRounds.IsRoundAggregated(recorded))
        {
            var round = (RunEvents.V1.RoundAggregated)PayoutEventCodec.Decode(recorded);
            _aggregated[(round.RunId, round.Round)] = recorded.RecordedAt;
        }
        else if (recorded.StreamId.StartsWith(PayoutEvents.StreamPrefix, StringComparison.Ordinal))
        {
            var state = _payouts.TryGetValue(recorded.StreamId, out var known) ? known : PayoutState.Initial;
            _payouts[recorded.StreamId] = PayoutState.Evolve(state, PayoutEventCodec.Decode(recorded));
        }
    }

    /// <summary>Reads the log after <see cref="Position"/> to its end.</summary>
    public async Task CatchUpAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        await foreach (var recorded in store.ReadAllAsync(Position, int.MaxValue, cancellationToken).ConfigureAwait(false)) Apply(recorded);
    }

    /// <summary>Every aggregated round not confirmed paid, in run and round order.</summary>
    public IReadOnlyList<UnpaidRound> All() =>
    [
        .. _aggregated
            .Select(a => (a.Key, At: a.Value, Payout: _payouts.GetValueOrDefault(PayoutEvents.StreamOf(a.Key.RunId, a.Key.Round))))
            .Where(a => a.Payout?.Status != PayoutStatus.Confirmed)
            .OrderBy(a => a.Key.RunId, StringComparer.Ordinal).ThenBy(a => a.Key.Round)
            .Select(a => new UnpaidRound(a.Key.RunId, a.Key.Round, a.At, a.Payout?.Status ?? PayoutStatus.None, a.Payout?.LastFailure?.Reason)),
    ];

    /// <summary>The unpaid rounds aggregated more than <paramref name="delay"/> before <paramref name="now"/>.</summary>
    public IReadOnlyList<UnpaidRound> Overdue(DateTimeOffset now, TimeSpan delay) => [.. All().Where(r => now - r.AggregatedAt > delay)];

    /// <summary>"run A rounds 1, 2; run B round 4": the rounds grouped by run, for a warning.</summary>
    public static string Describe(IEnumerable<UnpaidRound> rounds) => string.Join("; ", rounds.GroupBy(r => r.RunId, StringComparer.Ordinal)
        .Select(g => $"run {g.Key} round{(g.Count() > 1 ? "s" : "")} {string.Join(", ", g.Select(r => r.Round))}"));
}
