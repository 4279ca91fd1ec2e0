namespace Federated.Domain.Payouts;

/// <summary>
/// The payout saga's next step from its recorded state and what the chain shows now. Pure, so the same answer
/// comes after a crash at any point: the log says which transactions were signed (always recorded before any
/// broadcast), the chain says which of them were mined, and the round's commitment on chain says whether it was paid.
/// <list type="number">
/// <item>Confirmed: done while the receipt is still in the recorded block; otherwise the block was reorged away.</item>
/// <item>One of the payout's transactions is mined: a revert stops the payout; a success is confirmed once deep enough.</item>
/// <item>Nothing mined but the round is paid on chain: with another commitment, stop; with this payout's, wait for the receipt.</item>
/// <item>No live transaction: sign one (on the last nonce if it is still free, with higher fees; else a new nonce).</item>
/// <item>The live transaction's nonce was used by another transaction: a retryable failure.</item>
/// <item>Signed but not known to be broadcast: broadcast the recorded bytes (never sign anew: they may be out there).</item>
/// <item>Broadcast but no longer in the node's pool: dropped, a retryable failure (then a replacement on the same nonce).</item>
/// <item>Broadcast and unmined for longer than the stall timeout: a replacement with bumped fees on the same nonce.</item>
/// </list>
/// </summary>
public static class PayoutReconciliation
{
    public static PayoutStep Next(PayoutState state, ChainView chain, PayoutSettings settings, DateTimeOffset now)
    {
        var allocation = state.Allocation ?? throw new DomainException("the payout has not been allocated");
        if (state.Status == PayoutStatus.Failed) return new PayoutStep.Done($"failed: {state.LastFailure?.Reason}");

        if (state.Confirmation is { } confirmed)
        {
            return chain.Receipts.TryGetValue(confirmed.TransactionHash, out var still) && Same(still.BlockHash, confirmed.BlockHash)
                ? new PayoutStep.Done($"confirmed in block {confirmed.BlockNumber}")
                : new PayoutStep.Record(new RecordReorg(confirmed.TransactionHash));
        }

        var mined = state.Attempts
            .Select(a => (Attempt: a, Receipt: chain.Receipts.GetValueOrDefault(a.TransactionHash)))
            .FirstOrDefault(m => m.Receipt is not null);
        if (mined.Receipt is { } receipt)
        {
            if (!receipt.Succeeded)
                return new PayoutStep.Record(new RecordFailure(mined.Attempt.TransactionHash,
                    $"transaction {mined.Attempt.TransactionHash} reverted in block {receipt.BlockNumber}: {receipt.Reason ?? "no reason given"}", Retryable: false));
            var depth = chain.Head >= receipt.BlockNumber ? chain.Head - receipt.BlockNumber + 1 : 0;
            return depth >= (ulong)settings.Confirmations
                ? new PayoutStep.Record(new RecordConfirmation(mined.Attempt.TransactionHash, receipt.BlockNumber, receipt.BlockHash, (int)depth, receipt.GasUsed))
                : new PayoutStep.Wait($"mined in block {receipt.BlockNumber}, {depth} of {settings.Confirmations} confirmations");
        }

        if (chain.RoundPaid)
        {
            // Our own commitment with none of our receipts in view: a receipt read racing a new block or a reorg. Never
            // sign again for a round the chain shows as paid; look again.
            if (Same(chain.Commitment, allocation.Commitment))
                return new PayoutStep.Wait($"round {allocation.Round} is paid on chain with this payout's commitment; waiting to see the receipt of one of its transactions");
            return new PayoutStep.Record(new RecordFailure(null,
                $"round {allocation.Round} (on-chain id {allocation.ChainRoundId}) is already paid on chain with commitment {chain.Commitment}; this payout's is {allocation.Commitment}", Retryable: false));
        }

        var live = state.Live;
        if (live is null)
        {
            var last = state.Attempts.LastOrDefault();
            if (last is null || chain.MinedNonce > last.Nonce) return new PayoutStep.Sign(null, 0, 0, last is null ? "first transaction" : $"nonce {last.Nonce} is used; a new nonce");
            var onNonce = state.Attempts.Where(a => a.Nonce == last.Nonce).ToList();
            return new PayoutStep.Sign(last.Nonce, Bump(onNonce.Max(a => a.MaxFeePerGas), settings), Bump(onNonce.Max(a => a.MaxPriorityFeePerGas), settings),
                $"replacing {last.TransactionHash} on nonce {last.Nonce}");
        }

        if (chain.MinedNonce > live.Nonce)
            return new PayoutStep.Record(new RecordFailure(live.TransactionHash,
                $"nonce {live.Nonce} was used by a transaction that is not this payout's", Retryable: true));
        if (!live.Submitted) return new PayoutStep.Broadcast(live);
        if (!chain.Pending.Contains(live.TransactionHash))
            return new PayoutStep.Record(new RecordFailure(live.TransactionHash,
                $"transaction {live.TransactionHash} is neither mined nor in the node's pool (dropped)", Retryable: true));
        if (now - live.SubmittedAt!.Value >= settings.StallTimeout)
            return new PayoutStep.Sign(live.Nonce, Bump(live.MaxFeePerGas, settings), Bump(live.MaxPriorityFeePerGas, settings),
                $"{live.TransactionHash} unmined for {(now - live.SubmittedAt.Value).TotalSeconds:0} s; replacing it with higher fees");
        return new PayoutStep.Wait($"{live.TransactionHash} is in the pool");
    }

    /// <summary>Raises a fee by the bump percent, rounding up, and by at least 1 wei.</summary>
    public static System.Numerics.BigInteger Bump(System.Numerics.BigInteger fee, PayoutSettings settings)
    {
        var percent = Math.Max(settings.FeeBumpPercent, Payout.MinimumFeeBumpPercent);
        var raised = (fee * (100 + percent) + 99) / 100;
        return raised > fee ? raised : fee + 1;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
