using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using static Federated.Domain.Payouts.PayoutEvents.V1;

namespace Federated.Domain.Payouts;

public enum PayoutStatus
{
    /// <summary>Nothing recorded.</summary>
    None,

    /// <summary>Allocated, and no transaction is live: the next step signs one.</summary>
    Pending,

    /// <summary>A transaction is signed and recorded but not known to be broadcast.</summary>
    Signed,

    /// <summary>The live transaction was broadcast and waits to be mined and confirmed.</summary>
    Submitted,

    Confirmed,

    /// <summary>Stopped by a failure that retrying cannot fix (a mined revert, a round paid with another commitment).</summary>
    Failed,
}

/// <summary>One signed transaction of a payout. Superseded: a replacement with the same nonce was signed after it
/// (it may still be mined; only one of them can be). Abandoned: a failure ended it.</summary>
public sealed record PayoutAttempt(
    int Attempt, string TransactionHash, ulong Nonce, BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, ulong GasLimit,
    string RawTransaction, DateTimeOffset SignedAt, DateTimeOffset? SubmittedAt, bool Ended)
{
    public bool Submitted => SubmittedAt is not null;
}

/// <summary>A round's payout as its events describe it. Immutable; changed only by <see cref="Evolve"/>.</summary>
public sealed record PayoutState
{
    public static readonly PayoutState Initial = new();

    public PayoutStatus Status { get; init; }
    public PayoutAllocated? Allocation { get; init; }
    public ImmutableList<PayoutAttempt> Attempts { get; init; } = [];
    public PayoutConfirmed? Confirmation { get; init; }
    public PayoutFailed? LastFailure { get; init; }

    /// <summary>The attempt that is signed or in flight, if any; at most one is live at a time.</summary>
    public PayoutAttempt? Live => Attempts.LastOrDefault(a => !a.Ended);

    public PayoutAttempt? AttemptOf(string transactionHash) =>
        Attempts.FirstOrDefault(a => string.Equals(a.TransactionHash, transactionHash, StringComparison.OrdinalIgnoreCase));

    public static PayoutState Evolve(PayoutState state, object @event) => @event switch
    {
        PayoutAllocated e => state with { Status = PayoutStatus.Pending, Allocation = e },
        PayoutTransactionSigned e => state with
        {
            Status = PayoutStatus.Signed,
            // A replacement supersedes whatever was live: both share the nonce, so at most one is ever mined.
            Attempts = [.. state.Attempts.Select(a => a.Ended ? a : a with { Ended = true }),
                new PayoutAttempt(e.Attempt, e.TransactionHash, e.Nonce, Parse(e.MaxFeePerGas), Parse(e.MaxPriorityFeePerGas), e.GasLimit,
                    e.RawTransaction, e.SignedAt, null, false)],
        },
        PayoutSubmitted e => state with
        {
            Status = state.Status == PayoutStatus.Signed && state.Live?.TransactionHash == e.TransactionHash ? PayoutStatus.Submitted : state.Status,
            Attempts = [.. state.Attempts.Select(a => a.TransactionHash == e.TransactionHash ? a with { SubmittedAt = a.SubmittedAt ?? e.SubmittedAt } : a)],
        },
        PayoutConfirmed e => state with { Status = PayoutStatus.Confirmed, Confirmation = e },
        PayoutFailed e => AfterFailure(state, e),
        PayoutReorged e => state with
        {
            Status = PayoutStatus.Submitted,
            Confirmation = null,
            // The reorged transaction is live again: it may be re-included from the pool, or be replaced on its nonce.
            Attempts = [.. state.Attempts.Select(a => a.TransactionHash == e.TransactionHash ? a with { Ended = false } : a with { Ended = true })],
        },
        _ => throw new ArgumentException($"unknown payout event {@event.GetType().Name}", nameof(@event)),
    };

    /// <summary>A failure ends the attempt it names (none when nothing was sent); a retryable one leaves the payout
    /// pending, or in flight when another attempt is still live.</summary>
    private static PayoutState AfterFailure(PayoutState state, PayoutFailed e)
    {
        var attempts = state.Attempts.Select(a => e.TransactionHash is not null && a.TransactionHash == e.TransactionHash ? a with { Ended = true } : a).ToImmutableList();
        var live = attempts.LastOrDefault(a => !a.Ended);
        var status = !e.Retryable ? PayoutStatus.Failed
            : live is null ? PayoutStatus.Pending
            : live.Submitted ? PayoutStatus.Submitted : PayoutStatus.Signed;
        return state with { Status = status, LastFailure = e, Attempts = attempts };
    }

    public static PayoutState Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);

    private static BigInteger Parse(string value) => BigInteger.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
