namespace Federated.Coordinator.Verification;

/// <summary>What each worker contributed, as re-derived from the log: accepted and rejected updates and tokens.</summary>
public sealed record ContributionLedger(IReadOnlyList<ContributionLedger.Line> Lines)
{
    public sealed record Line(string RunId, string WorkerId, int Accepted, int Rejected, long Tokens);
}
