using System.Globalization;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Domain.Payouts;
using Payout = Federated.Chain.Rpc.Payout;
using Federated.Domain.Rewards;
using static Federated.Domain.Payouts.PayoutEvents.V1;

namespace Federated.Rewards;

/// <summary>Turns an aggregated round into its payout allocation: the policy's shares, each worker's address, the
/// payout list hash and the commitment. Deterministic: the same log and address book give the same allocation.</summary>
public static class PayoutAllocator
{
    public static AllocatePayout Allocate(AggregatedRound round, IWorkerAddressBook addresses, IContributionScore score, long chainId, EthereumAddress distributor)
    {
        ArgumentNullException.ThrowIfNull(round);
        score = round.ScoreRule(score);
        var pool = round.Spec.Rewards.Pool();
        var shares = RewardPolicy.Allocate(pool, round.Round, score);
        var lines = shares.Select(s => new PayoutLine(s.WorkerId, Hex.Encode(addresses.AddressOf(s.WorkerId).Bytes), s.Score,
            s.Amount.ToString(CultureInfo.InvariantCulture))).ToList();
        var listHash = RoundCommitment.PayoutListHash(PayoutsOf(lines));
        var commitment = RoundCommitment.Of(round.SegmentHash, listHash);
        return new AllocatePayout(round.RunId, round.Round.Round, RoundCommitment.ToHex(RoundCommitment.ChainRoundId(round.RunId, round.Round.Round)),
            chainId, Hex.Encode(distributor.Bytes), pool, score.Name, lines, Hex.Encode(round.SegmentHash), Hex.Encode(listHash), Hex.Encode(commitment));
    }

    public static IReadOnlyList<Payout> PayoutsOf(IEnumerable<PayoutLine> lines) =>
        [.. lines.Select(l => new Payout(EthereumAddress.Parse(l.Recipient), System.Numerics.BigInteger.Parse(l.Amount, CultureInfo.InvariantCulture)))];
}
