namespace Federated.Domain.Payouts;

/// <summary>What the reconciler does next for one payout.</summary>
public abstract record PayoutStep
{
    /// <summary>Confirmed and still on the canonical chain, or stopped by a failure: nothing to do.</summary>
    public sealed record Done(string Why) : PayoutStep;

    /// <summary>Nothing to do now; look again later.</summary>
    public sealed record Wait(string Why) : PayoutStep;

    /// <summary>Sign a payRound transaction. Nonce null: the next nonce of the sender's lane. A nonce: replace the
    /// transaction(s) on that nonce, raising both fees to at least the minimums given.</summary>
    public sealed record Sign(ulong? Nonce, System.Numerics.BigInteger MinMaxFeePerGas, System.Numerics.BigInteger MinPriorityFeePerGas, string Why) : PayoutStep;

    /// <summary>Broadcast the recorded raw transaction of this attempt (again: the node may already hold it).</summary>
    public sealed record Broadcast(PayoutAttempt Attempt) : PayoutStep;

    /// <summary>Record a command (confirmation, failure, reorg) that the chain shows.</summary>
    public sealed record Record(PayoutCommand Command) : PayoutStep;
}
