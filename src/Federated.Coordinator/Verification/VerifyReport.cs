using Federated.EventStore.Verification;

namespace Federated.Coordinator.Verification;

/// <summary>Outcome of `fed verify`: the hash chain, then a replay of every run that re-derives its models and ledger.</summary>
public sealed record VerifyReport(
    long EventsVerified, int Runs, int RoundsReplayed, ContributionLedger Ledger, VerificationFailure? Failure)
{
    public bool IsValid => Failure is null;
}
