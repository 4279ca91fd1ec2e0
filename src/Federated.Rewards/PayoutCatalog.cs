using Federated.Domain.Payouts;
using Federated.EventStore;
using Federated.EventStore.Projections;

namespace Federated.Rewards;

/// <summary>One payout stream folded: what `fed payouts` lists.</summary>
public sealed record PayoutRecord(string StreamId, string RunId, int Round, long FirstPosition, PayoutState State);

/// <summary>Every payout in the log, each stream folded: a projection of the whole log.</summary>
public sealed class PayoutCatalog : InMemoryProjection
{
    private readonly Dictionary<string, (long First, PayoutState State)> _streams = new(StringComparer.Ordinal);

    public override string Name => "payout-catalog";

    /// <summary>The payouts allocated so far, in the order they were allocated.</summary>
    public IReadOnlyList<PayoutRecord> Payouts =>
    [
        .. _streams.Where(s => s.Value.State.Allocation is not null)
            .OrderBy(s => s.Value.First)
            .Select(s => new PayoutRecord(s.Key, s.Value.State.Allocation!.RunId, s.Value.State.Allocation.Round, s.Value.First, s.Value.State)),
    ];

    /// <summary>Every payout in the log, in the order they were allocated.</summary>
    public static async Task<IReadOnlyList<PayoutRecord>> ListAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        var catalog = new PayoutCatalog();
        await ProjectionRunner.InMemory(catalog, store).RunToEndAsync(cancellationToken).ConfigureAwait(false);
        return catalog.Payouts;
    }

    protected override void Apply(RecordedEvent recorded)
    {
        if (!recorded.StreamId.StartsWith(PayoutEvents.StreamPrefix, StringComparison.Ordinal)) return;
        var (first, state) = _streams.TryGetValue(recorded.StreamId, out var known) ? known : (recorded.GlobalPosition, PayoutState.Initial);
        _streams[recorded.StreamId] = (first, PayoutState.Evolve(state, PayoutEventCodec.Decode(recorded)));
    }
}
