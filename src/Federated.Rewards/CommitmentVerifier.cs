using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Domain.Payouts;
using Federated.Domain.Rewards;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>One round's commitment check: what the log says, what re-deriving it gives, and what the chain holds.</summary>
public sealed record CommitmentCheck(string RunId, int Round, string Commitment, string? OnChain, string? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// Checks each payout against the log and the chain: the allocation re-derived from the round's RoundAggregated event
/// (policy, addresses as recorded, segment hash = the hash-chain value at that event) must give the recorded payout
/// list hash and commitment, and a confirmed payout's round must hold that commitment on chain (commitmentOf).
/// </summary>
public static class CommitmentVerifier
{
    public static async Task<IReadOnlyList<CommitmentCheck>> VerifyAsync(
        IEventStoreReader store, RewardDistributorContract? distributor, IContributionScore? score = null, CancellationToken cancellationToken = default)
    {
        score ??= TokensProcessedScore.Instance;
        var checks = new List<CommitmentCheck>();
        var rounds = new Dictionary<string, IReadOnlyList<AggregatedRound>>(StringComparer.Ordinal);
        foreach (var payout in await PayoutCatalog.ListAsync(store, cancellationToken).ConfigureAwait(false))
        {
            var allocation = payout.State.Allocation!;
            if (!rounds.TryGetValue(payout.RunId, out var runRounds))
                rounds[payout.RunId] = runRounds = await RunRounds.ReadAsync(store, payout.RunId, cancellationToken).ConfigureAwait(false);
            var problem = Rederive(allocation, runRounds.FirstOrDefault(r => r.Round.Round == payout.Round), score);
            string? onChain = null;
            if (problem is null && distributor is not null)
            {
                onChain = Hex.Encode(await distributor.CommitmentOfAsync(Hex.Decode(allocation.ChainRoundId).ToUInt256(), cancellationToken).ConfigureAwait(false));
                if (payout.State.Status == PayoutStatus.Confirmed && !string.Equals(onChain, allocation.Commitment, StringComparison.OrdinalIgnoreCase))
                    problem = $"the chain holds commitment {onChain} for round {payout.Round}, the log {allocation.Commitment}";
                else if (payout.State.Status != PayoutStatus.Confirmed && onChain.Skip(2).Any(c => c != '0') && !string.Equals(onChain, allocation.Commitment, StringComparison.OrdinalIgnoreCase))
                    problem = $"round {payout.Round} is paid on chain with commitment {onChain}, not the log's {allocation.Commitment}";
            }
            checks.Add(new CommitmentCheck(payout.RunId, payout.Round, allocation.Commitment, onChain, problem));
        }
        return checks;
    }

    /// <summary>Aggregated rounds of every run in the log that have no payout (e.g. run without a chain), in log order.</summary>
    public static async Task<IReadOnlyList<(string RunId, int Round)>> UnpaidRoundsAsync(IEventStoreReader store, CancellationToken cancellationToken = default)
    {
        var paid = (await PayoutCatalog.ListAsync(store, cancellationToken).ConfigureAwait(false)).Select(p => (p.RunId, p.Round)).ToHashSet();
        var unpaid = new List<(string RunId, int Round)>();
        await foreach (var recorded in store.ReadAllAsync(0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!RunRounds.IsRoundAggregated(recorded)) continue;
            var round = (PayoutEventCodec.Decode(recorded) as Domain.Runs.RunEvents.V1.RoundAggregated)!;
            if (!paid.Contains((round.RunId, round.Round))) unpaid.Add((round.RunId, round.Round));
        }
        return unpaid;
    }

    private static string? Rederive(PayoutEvents.V1.PayoutAllocated allocation, AggregatedRound? round, IContributionScore score)
    {
        if (round is null) return $"round {allocation.Round} of run {allocation.RunId} has a payout but no RoundAggregated event";
        var segment = Hex.Encode(round.SegmentHash);
        if (!string.Equals(segment, allocation.SegmentHash, StringComparison.OrdinalIgnoreCase))
            return $"segment hash {allocation.SegmentHash} is not the hash-chain value {segment} at round {allocation.Round}'s RoundAggregated event";
        var shares = RewardPolicy.Allocate(round.Spec.Rewards.Pool(), round.Round, round.ScoreRule(score));
        var expected = shares.Select(s => (s.WorkerId, s.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!expected.SequenceEqual(allocation.Payouts.Select(p => (p.WorkerId, p.Amount))))
            return $"the recorded payouts of round {allocation.Round} are not what the reward policy gives for its aggregated updates";
        var listHash = RoundCommitment.PayoutListHash(PayoutAllocator.PayoutsOf(allocation.Payouts));
        if (!string.Equals(Hex.Encode(listHash), allocation.PayoutListHash, StringComparison.OrdinalIgnoreCase))
            return $"payout list hash {allocation.PayoutListHash} does not match the recorded payouts ({Hex.Encode(listHash)})";
        var commitment = Hex.Encode(RoundCommitment.Of(round.SegmentHash, listHash));
        return string.Equals(commitment, allocation.Commitment, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"commitment {allocation.Commitment} is not keccak256(segment hash || payout list hash) = {commitment}";
    }
}
