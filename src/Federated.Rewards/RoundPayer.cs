using Federated.Domain.Payouts;
using Federated.Domain.Rewards;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>
/// Pays aggregated rounds: allocates each round's pool and settles the payout, one round at a time (one nonce lane,
/// one transaction in flight). Fed by a catch-up subscription on the log (<see cref="HandleAsync"/>: every
/// RoundAggregated event, at least once) and, at start, by <see cref="ResumeAsync"/> for payouts a crash left unfinished.
/// </summary>
public sealed class RoundPayer
{
    private readonly IEventStore _store;
    private readonly PayoutProcessor _processor;
    private readonly Func<AggregatedRound, IWorkerAddressBook> _addresses;
    private readonly IContributionScore _score;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Pays every run's workers at the addresses <paramref name="addresses"/> gives.</summary>
    public RoundPayer(IEventStore store, PayoutProcessor processor, IWorkerAddressBook addresses, IContributionScore? score = null)
        : this(store, processor, _ => addresses, score) { }

    /// <summary>Pays each round's workers at the addresses of the book chosen for that round (e.g. keys derived from its run's seed).</summary>
    public RoundPayer(IEventStore store, PayoutProcessor processor, Func<AggregatedRound, IWorkerAddressBook> addresses, IContributionScore? score = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _processor = processor ?? throw new ArgumentNullException(nameof(processor));
        _addresses = addresses ?? throw new ArgumentNullException(nameof(addresses));
        _score = score ?? TokensProcessedScore.Instance;
    }

    public const string SubscriptionId = "round-payouts";

    public async Task<PayoutState> PayAsync(AggregatedRound round, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var chain = _processor.Chain;
            var allocation = PayoutAllocator.Allocate(round, _addresses(round), _score, (long)chain.Coordinator.ChainId, chain.Distributor.Address);
            await _processor.AllocateAsync(allocation, cancellationToken).ConfigureAwait(false);
            return await _processor.SettleAsync(round.RunId, round.Round.Round, cancellationToken).ConfigureAwait(false);
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
        var round = (await RunRounds.ReadAsync(_store, runId, cancellationToken).ConfigureAwait(false))
            .Single(r => r.SegmentHash.AsSpan().SequenceEqual(recorded.Hash));
        await PayAsync(round, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles every payout that is neither confirmed nor stopped, oldest first. Returns how many it settled.</summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        var settled = 0;
        foreach (var payout in await PayoutCatalog.ListAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            if (payout.State.Status is PayoutStatus.Confirmed or PayoutStatus.Failed) continue;
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _processor.SettleAsync(payout.RunId, payout.Round, cancellationToken).ConfigureAwait(false);
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
