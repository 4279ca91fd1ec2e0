using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>A round the distributor paid, as its RoundPaid event shows it.</summary>
public sealed record ChainPaidRound(string ChainRoundId, string Commitment, ulong Block, string TransactionHash);

/// <summary>
/// The other direction of the payout check: every round the chain shows paid must have its payout in the log. A log
/// that was emptied, truncated or swapped for another still has a valid hash chain, but the distributor's RoundPaid
/// events outlive it, so `fed verify` names the paid rounds the log lacks.
/// </summary>
public static class ChainPaidRounds
{
    /// <summary>Every RoundPaid event of <paramref name="distributor"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<ChainPaidRound>> ReadAsync(EthereumRpcClient client, EthereumAddress distributor, CancellationToken cancellationToken = default)
    {
        var logs = await client.GetLogsAsync(new LogFilter { Addresses = [distributor], Topics = [RewardDistributorContract.RoundPaidEvent.Topic] }, cancellationToken)
            .ConfigureAwait(false);
        return
        [
            .. logs.Where(l => !l.Removed && l.Topics.Count >= 2 && l.Data.Length >= 32)
                .Select(l => new ChainPaidRound(Hex.Encode(l.Topics[1]), Hex.Encode(l.Data.AsSpan(0, 32)), l.BlockNumber, Hex.Encode(l.TransactionHash))),
        ];
    }

    /// <summary>The rounds in <paramref name="paid"/> that have no payout in the log, each described with its run and
    /// round when the log still holds the RoundAggregated event, else by its on-chain id, block and transaction.</summary>
    public static async Task<IReadOnlyList<string>> MissingFromLogAsync(IEventStoreReader store, IReadOnlyList<ChainPaidRound> paid, CancellationToken cancellationToken = default)
    {
        if (paid.Count == 0) return [];
        var inLog = (await PayoutCatalog.ListAsync(store, cancellationToken).ConfigureAwait(false))
            .Select(p => p.State.Allocation!.ChainRoundId.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var recorded in store.ReadAllAsync(0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!RunRounds.IsRoundAggregated(recorded)) continue;
            var round = (Domain.Runs.RunEvents.V1.RoundAggregated)PayoutEventCodec.Decode(recorded);
            names[RoundCommitment.ToHex(RoundCommitment.ChainRoundId(round.RunId, round.Round)).ToLowerInvariant()] = $"run {round.RunId} round {round.Round}";
        }
        return
        [
            .. paid.Where(p => !inLog.Contains(p.ChainRoundId.ToLowerInvariant()))
                .Select(p => $"{(names.TryGetValue(p.ChainRoundId.ToLowerInvariant(), out var name) ? name + ", " : "")}on-chain round {p.ChainRoundId} " +
                    $"(paid in block {p.Block}, transaction {p.TransactionHash}, commitment {p.Commitment})"),
        ];
    }
}
