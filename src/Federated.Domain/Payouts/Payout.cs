using System.Globalization;
using static Federated.Domain.Payouts.PayoutEvents.V1;

namespace Federated.Domain.Payouts;

/// <summary>A round payout's decisions: given a command, the state and the time, which events happen. Pure.
/// An impossible command throws <see cref="DomainException"/>; a repeat of something already recorded decides nothing.</summary>
public static class Payout
{
    /// <summary>A replacement on the same nonce must raise both fees by at least this much (geth's and anvil's pool rule).</summary>
    public const int MinimumFeeBumpPercent = 10;

    public static IReadOnlyList<object> Decide(PayoutCommand command, PayoutState state, DateTimeOffset now) => command switch
    {
        AllocatePayout c => Allocate(c, state, now),
        RecordSignedTransaction c => Signed(c, state, now),
        RecordSubmission c => Submitted(c, state, now),
        RecordConfirmation c => Confirmed(c, state, now),
        RecordFailure c => Failed(c, state, now),
        RecordReorg c => Reorged(c, state, now),
        _ => throw new ArgumentException($"unknown command {command.GetType().Name}", nameof(command)),
    };

    private static IReadOnlyList<object> Allocate(AllocatePayout c, PayoutState state, DateTimeOffset now)
    {
        if (state.Allocation is { } existing)
        {
            if (existing.Commitment == c.Commitment) return [];
            throw new DomainException($"round {c.Round} of run {c.RunId} was already allocated with commitment {existing.Commitment}, not {c.Commitment}");
        }
        if (string.IsNullOrWhiteSpace(c.RunId)) throw new DomainException("run id must not be empty");
        if (c.Round < 1) throw new DomainException($"round must be 1 or more, got {c.Round}");
        if (c.Pool.Sign < 0) throw new DomainException($"pool must not be negative, got {c.Pool}");
        var total = c.Payouts.Aggregate(System.Numerics.BigInteger.Zero, (sum, p) => sum + ParseAmount(p));
        if (total > c.Pool) throw new DomainException($"payouts total {total}, more than the pool {c.Pool}");
        if (c.Payouts.Select(p => p.WorkerId).Distinct(StringComparer.Ordinal).Count() != c.Payouts.Count)
            throw new DomainException("a worker appears twice in the payout list");
        return [new PayoutAllocated(c.RunId, c.Round, c.ChainRoundId, c.ChainId, c.Distributor, c.Pool.ToString(CultureInfo.InvariantCulture), c.Score,
            c.Payouts, c.SegmentHash, c.PayoutListHash, c.Commitment, now)];
    }

    private static IReadOnlyList<object> Signed(RecordSignedTransaction c, PayoutState state, DateTimeOffset now)
    {
        var allocation = RequireOpen(state);
        if (state.AttemptOf(c.TransactionHash) is not null) return [];
        if (state.Live is { } live)
        {
            if (c.Nonce != live.Nonce)
                throw new DomainException($"transaction {live.TransactionHash} (nonce {live.Nonce}) is still live; a replacement must use nonce {live.Nonce}, not {c.Nonce}");
            if (c.MaxFeePerGas * 100 < live.MaxFeePerGas * (100 + MinimumFeeBumpPercent) || c.MaxPriorityFeePerGas * 100 < live.MaxPriorityFeePerGas * (100 + MinimumFeeBumpPercent))
                throw new DomainException($"a replacement of {live.TransactionHash} must raise both fees by {MinimumFeeBumpPercent}% or more: " +
                    $"max fee {live.MaxFeePerGas} -> {c.MaxFeePerGas}, tip {live.MaxPriorityFeePerGas} -> {c.MaxPriorityFeePerGas}");
        }
        return [new PayoutTransactionSigned(allocation.RunId, allocation.Round, state.Attempts.Count + 1, c.Sender, c.Nonce,
            c.MaxFeePerGas.ToString(CultureInfo.InvariantCulture), c.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture),
            c.GasLimit, c.TransactionHash, c.RawTransaction, now)];
    }

    private static IReadOnlyList<object> Submitted(RecordSubmission c, PayoutState state, DateTimeOffset now)
    {
        var allocation = RequireAllocated(state);
        var attempt = state.AttemptOf(c.TransactionHash) ?? throw new DomainException($"transaction {c.TransactionHash} was never signed for this payout");
        return attempt.Submitted ? [] : [new PayoutSubmitted(allocation.RunId, allocation.Round, attempt.TransactionHash, now)];
    }

    private static IReadOnlyList<object> Confirmed(RecordConfirmation c, PayoutState state, DateTimeOffset now)
    {
        var allocation = RequireAllocated(state);
        var attempt = state.AttemptOf(c.TransactionHash) ?? throw new DomainException($"transaction {c.TransactionHash} was never signed for this payout");
        if (state.Confirmation is { } done)
        {
            if (done.TransactionHash == attempt.TransactionHash && done.BlockHash == c.BlockHash) return [];
            throw new DomainException($"the payout is already confirmed by {done.TransactionHash} in block {done.BlockNumber}; record the reorg first");
        }
        if (state.Status == PayoutStatus.Failed) throw new DomainException($"the payout failed: {state.LastFailure?.Reason}");
        if (c.Confirmations < 1) throw new DomainException($"a confirmation needs at least 1 block, got {c.Confirmations}");
        return [new PayoutConfirmed(allocation.RunId, allocation.Round, attempt.TransactionHash, c.BlockNumber, c.BlockHash, c.Confirmations, c.GasUsed, now)];
    }

    private static IReadOnlyList<object> Failed(RecordFailure c, PayoutState state, DateTimeOffset now)
    {
        var allocation = RequireOpen(state);
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new DomainException("a failure needs a reason");
        if (c.TransactionHash is { } hash && state.AttemptOf(hash) is null) throw new DomainException($"transaction {hash} was never signed for this payout");
        return [new PayoutFailed(allocation.RunId, allocation.Round, c.TransactionHash is null ? null : state.AttemptOf(c.TransactionHash)!.TransactionHash, c.Reason, c.Retryable, now)];
    }

    private static IReadOnlyList<object> Reorged(RecordReorg c, PayoutState state, DateTimeOffset now)
    {
        var allocation = RequireAllocated(state);
        if (state.Confirmation is not { } done || !string.Equals(done.TransactionHash, c.TransactionHash, StringComparison.OrdinalIgnoreCase)) return [];
        return [new PayoutReorged(allocation.RunId, allocation.Round, done.TransactionHash, done.BlockNumber, done.BlockHash, now)];
    }

    private static PayoutAllocated RequireAllocated(PayoutState state) =>
        state.Allocation ?? throw new DomainException("the payout has not been allocated");

    /// <summary>Allocated, and neither confirmed nor stopped by a failure.</summary>
    private static PayoutAllocated RequireOpen(PayoutState state)
    {
        var allocation = RequireAllocated(state);
        if (state.Status == PayoutStatus.Confirmed) throw new DomainException($"round {allocation.Round} is already paid and confirmed");
        if (state.Status == PayoutStatus.Failed) throw new DomainException($"round {allocation.Round}'s payout failed and stopped: {state.LastFailure?.Reason}");
        return allocation;
    }

    private static System.Numerics.BigInteger ParseAmount(PayoutLine line)
    {
        if (string.IsNullOrEmpty(line.Amount) || !line.Amount.All(char.IsAsciiDigit))
            throw new DomainException($"payout amount for {line.WorkerId} must be a whole number of base units, got '{line.Amount}'");
        var amount = System.Numerics.BigInteger.Parse(line.Amount, NumberStyles.None, CultureInfo.InvariantCulture);
        if (amount.IsZero) throw new DomainException($"payout amount for {line.WorkerId} must be positive");
        return amount;
    }
}
