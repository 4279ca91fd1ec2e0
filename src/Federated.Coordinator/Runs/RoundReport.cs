namespace Federated.Coordinator.Runs;

/// <summary>What the coordinator tells its user after each aggregated round.</summary>
public sealed record RoundReport(
    string RunId, int Round, int Rounds, int Accepted, int Rejected, float TrainLoss, float ValidationLoss, long Tokens, TimeSpan Elapsed);
