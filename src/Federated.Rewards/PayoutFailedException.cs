using Federated.Domain.Payouts;

namespace Federated.Rewards;

/// <summary>A payout could not go ahead; the failure is recorded in its stream (<see cref="Failure"/>) before this is thrown.</summary>
public sealed class PayoutFailedException(PayoutEvents.V1.PayoutFailed failure, Exception? inner = null)
    : Exception($"Payout of round {failure.Round} of run {failure.RunId} failed{(failure.Retryable ? " (retryable)" : "")}: {failure.Reason}", inner)
{
    public PayoutEvents.V1.PayoutFailed Failure { get; } = failure;
}
