using Federated.Domain.Payouts;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>One payout stream folded: what `fed payouts` lists.</summary>
public sealed record PayoutRecord(string StreamId, string RunId, int Round, long FirstPosition, PayoutState State);

public static class PayoutCatalog
{
    /// <summary>Every payout in the log, in the order they were allocated.</summary>
    public static async Task<IReadOnlyList<PayoutRecord>> ListAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        var streams = new Dictionary<string, (long First, PayoutState State)>(StringComparer.Ordinal);
        await foreach (var recorded in store.ReadAllAsync(0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!recorded.StreamId.StartsWith(PayoutEvents.StreamPrefix, StringComparison.Ordinal)) continue;
            var (first, state) = streams.TryGetValue(recorded.StreamId, out var known) ? known : (recorded.GlobalPosition, PayoutState.Initial);
            streams[recorded.StreamId] = (first, PayoutState.Evolve(state, PayoutEventCodec.Decode(recorded)));
        }
        return
        [
            .. streams.Where(s => s.Value.State.Allocation is not null)
                .OrderBy(s => s.Value.First)
                .Select(s => new PayoutRecord(s.Key, s.Value.State.Allocation!.RunId, s.Value.State.Allocation.Round, s.Value.First, s.Value.State)),
        ];
    }
}
