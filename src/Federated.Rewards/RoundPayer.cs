using Federated.Domain.Payouts;
using Federated.Domain.Rewards;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>
/// Pays aggregated rounds: allocates each round's pool and settles the payout, one round at a time (one nonce lane,
/// one transaction in flight). Fed by a catch-up subscription on the log (<see cref="HandleAsync"/>: every
/// RoundAggregated event, at least once) and, at start, by <see cref="ResumeAsync"/> for payouts a crash left unfinished.
/// </summary>
public sealed class RoundPayer(IEventStore store, PayoutProcessor processor, IWorkerAddressBook addresses, IContributionScore? score = null)
{
    private readonly IContributionScore _score = score ?? TokensProcessedScore.Instance;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public const string SubscriptionId = "round-payouts";

    public async Task<PayoutState> PayAsync(AggregatedRound round, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var chain = processor.Chain;
            var allocation = PayoutAllocator.Allocate(round, addresses, _score, (long)chain.Coordinator.ChainId, chain.Distributor.Address);
            await processor.AllocateAsync(allocation, cancellationToken).ConfigureAwait(false);
            return await processor.SettleAsync(round.RunId, round.Round.Round, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The subscription handler: pays the round of a RoundAggregated event; ignores every other event.
    /// Idempotent: a redelivered event finds the payout allocated (or confirmed) and settles nothing new.</summary>
    public async ValueTask HandleAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        if (!RunRounds.IsRoundAggregated(recorded)) return;
        var runId = recorded.StreamId["run-".Length..];
        var round = (await RunRounds.ReadAsync(store, runId, cancellationToken).ConfigureAwait(false))
            .Single(r => r.SegmentHash.AsSpan().SequenceEqual(recorded.Hash));
        await PayAsync(round, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles every payout that is neither confirmed nor stopped, oldest first. Returns how many it settled.</summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        var settled = 0;
        foreach (var payout in await PayoutCatalog.ListAsync(store, cancellationToken).ConfigureAwait(false))
        {
            if (payout.State.Status is PayoutStatus.Confirmed or PayoutStatus.Failed) continue;
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await processor.SettleAsync(payout.RunId, payout.Round, cancellationToken).ConfigureAwait(false);
                settled++;
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
        return settled;
    }
}
