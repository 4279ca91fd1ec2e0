namespace Federated.Domain.Payouts;

/// <summary>
/// Everything that happens to one round's payout, in its own stream (<see cref="StreamOf"/>). Amounts and fees are
/// decimal strings of base units / wei (no JSON precision limit); hashes, addresses and raw transactions are 0x-hex.
/// A shipped event type never changes: a new shape is a new type with its own stable name.
/// </summary>
public static class PayoutEvents
{
    public static class V1
    {
        /// <param name="ChainRoundId">The round's id on chain (uint256, 0x-hex): unique per run and round.</param>
        /// <param name="Score">The <see cref="Rewards.IContributionScore"/> the shares were computed with.</param>
        /// <param name="SegmentHash">The event log's hash-chain value at the round's RoundAggregated event.</param>
        /// <param name="PayoutListHash">keccak256 of the packed payout words (amount &lt;&lt; 160 | recipient), in list order.</param>
        /// <param name="Commitment">keccak256(SegmentHash || PayoutListHash): what payRound anchors on chain.</param>
        public sealed record PayoutAllocated(
            string RunId, int Round, string ChainRoundId, long ChainId, string Distributor, string Pool, string Score,
            IReadOnlyList<PayoutLine> Payouts, string SegmentHash, string PayoutListHash, string Commitment, DateTimeOffset AllocatedAt);

        public sealed record PayoutLine(string WorkerId, string Recipient, long Score, string Amount);

        /// <summary>Recorded before the transaction is broadcast, so a crash can never leave a sent transaction the log does not know.</summary>
        public sealed record PayoutTransactionSigned(
            string RunId, int Round, int Attempt, string Sender, ulong Nonce, string MaxFeePerGas, string MaxPriorityFeePerGas,
            ulong GasLimit, string TransactionHash, string RawTransaction, DateTimeOffset SignedAt);

        public sealed record PayoutSubmitted(string RunId, int Round, string TransactionHash, DateTimeOffset SubmittedAt);

        public sealed record PayoutConfirmed(
            string RunId, int Round, string TransactionHash, ulong BlockNumber, string BlockHash, int Confirmations, ulong GasUsed, DateTimeOffset ConfirmedAt);

        /// <param name="TransactionHash">The attempt that failed, or null when nothing was sent (e.g. the node refused to estimate).</param>
        /// <param name="Retryable">True: the payout goes back to pending and a later attempt may pay it (same nonce when
        /// that nonce is still free). False: the payout stops here for an operator to look at.</param>
        public sealed record PayoutFailed(string RunId, int Round, string? TransactionHash, string Reason, bool Retryable, DateTimeOffset FailedAt);

        /// <summary>The block that held the confirmed transaction left the canonical chain: the payout is pending again.</summary>
        public sealed record PayoutReorged(string RunId, int Round, string TransactionHash, ulong BlockNumber, string BlockHash, DateTimeOffset ReorgedAt);
    }

    /// <summary>Stable names written to the store. Never rename an entry.</summary>
    public static readonly IReadOnlyDictionary<Type, string> TypeNames = new Dictionary<Type, string>
    {
        [typeof(V1.PayoutAllocated)] = "PayoutAllocated.V1",
        [typeof(V1.PayoutTransactionSigned)] = "PayoutTransactionSigned.V1",
        [typeof(V1.PayoutSubmitted)] = "PayoutSubmitted.V1",
        [typeof(V1.PayoutConfirmed)] = "PayoutConfirmed.V1",
        [typeof(V1.PayoutFailed)] = "PayoutFailed.V1",
        [typeof(V1.PayoutReorged)] = "PayoutReorged.V1",
    };

    public const string StreamPrefix = "payout-";

    public static string StreamOf(string runId, int round) => $"{StreamPrefix}{runId}-{round}";
}
