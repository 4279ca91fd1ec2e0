using System.Globalization;
using System.Text.Json;
using Federated.Cli.Output;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Projections;

namespace Federated.Cli.Distributed;

/// <summary>A run's outcome as read from the event log (what `fed launch --wait` prints).</summary>
internal sealed record RunStatusSummary(
    string RunId, string Status, int Rounds, int RoundsPlanned, int AcceptedUpdates, int RejectedUpdates,
    float InitialValidationLoss, float FinalValidationLoss, string FinalModelHash, string? FailureReason,
    IReadOnlyList<Embedded.WorkerContribution> Contributions)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RunStatusSummary Of(string runId, RunState state) => new(
        runId, state.Status.ToString().ToLowerInvariant(), state.LastAggregatedRound, state.Spec?.Rounds ?? 0,
        state.AcceptedUpdates, state.RejectedUpdates, state.InitialValidationLoss,
        state.History.Count > 0 ? state.History[^1].Metrics.ValidationLoss : state.InitialValidationLoss,
        state.CurrentModelHash, state.FailureReason,
        state.History.SelectMany(h => h.AggregatedUpdates).GroupBy(u => u.WorkerId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Embedded.WorkerContribution(g.Key, g.Count(), g.Sum(u => u.Weight))).ToList());

    public string Json() => JsonSerializer.Serialize(this, JsonOptions);

    public void Text(TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine();
        w.WriteLine($"run {RunId} {Status}" + (FailureReason is null ? "" : $": {FailureReason}"));
        w.WriteLine($"  rounds           {Rounds} of {RoundsPlanned}");
        w.WriteLine($"  updates          {AcceptedUpdates} accepted, {RejectedUpdates} rejected");
        w.WriteLine(string.Create(inv, $"  validation loss  {InitialValidationLoss:F4} -> {FinalValidationLoss:F4}"));
        foreach (var c in Contributions)
            w.WriteLine($"  contributor      {c.WorkerId,-10} {c.AcceptedUpdates} updates, {c.Tokens} tokens");
        w.WriteLine($"  final model      {FinalModelHash}");
    }
}

/// <summary>Follows a run in the event log until it completes or fails, printing each aggregated round. The run is a
/// projection of the log (<see cref="RunProjection"/>), like the catalogs: each poll reads only what is new. Store errors
/// (a database restarting) are reported and polled through.</summary>
internal static class RunFollower
{
    public static async Task<RunState> FollowAsync(IEventStore store, string runId, TextWriter log, TimeSpan poll, CancellationToken cancellationToken)
    {
        var run = new RunProjection(runId);
        var runner = ProjectionRunner.InMemory(run, store);
        var printed = 0;
        while (true)
        {
            try
            {
                await runner.RunToEndAsync(cancellationToken);
            }
            catch (EventStoreException e)
            {
                log.WriteLine($"waiting for the event store: {e.Message}");
                await Task.Delay(poll, cancellationToken);
                continue;
            }
            var state = run.State;
            for (; printed < state.History.Count; printed++)
            {
                var h = state.History[printed];
                log.WriteLine(SummaryWriter.RoundLine(new RoundReport(runId, h.Round, state.Spec!.Rounds, h.AggregatedUpdates.Count, h.Metrics.Rejected,
                    h.Metrics.TrainLoss, h.Metrics.ValidationLoss, h.Metrics.Tokens, TimeSpan.FromSeconds(h.Metrics.ElapsedSeconds))));
            }
            if (state.Status is RunStatus.Completed or RunStatus.Failed) return state;
            await Task.Delay(poll, cancellationToken);
        }
    }
}
