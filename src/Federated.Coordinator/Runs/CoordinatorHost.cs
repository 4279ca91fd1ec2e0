using System.Collections.Concurrent;
using Federated.Contracts;
using Federated.Coordinator.Models;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

/// <summary>
/// The long-running coordinator: on start it resumes every run the log shows as running, and it drives
/// each run (resumed or newly launched) in the background until it completes or fails.
/// </summary>
public sealed class CoordinatorHost(RunCoordinator coordinator, IEventStoreReader store, IProgress<RoundReport>? progress = null, TextWriter? log = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task<RunState>> _drives = new(StringComparer.Ordinal);

    private const int MaxDriverRestarts = 100;
    private static readonly TimeSpan DriverRestartDelay = TimeSpan.FromSeconds(1);

    public RunCoordinator Coordinator => coordinator;

    public async Task<IReadOnlyList<string>> StartAsync(CancellationToken cancellationToken = default)
    {
        var running = await RunCatalog.RunningAsync(store, cancellationToken);
        foreach (var runId in running)
        {
            var state = await coordinator.ResumeAsync(runId, cancellationToken);
            log?.WriteLine($"resumed run {runId} after round {state.LastAggregatedRound} of {state.Spec!.Rounds}");
            Drive(runId);
        }
        return running;
    }

    /// <summary>A launch request from the bus: only a consortium admin's signed request launches a run, and only once.
    /// The request is recorded in <see cref="Trust.AdminActionLog"/> (with the run id it gets) before the run starts, so a
    /// copy, re-encoded or not, before or after a restart, is refused and names the run the first copy was given (which
    /// may still be starting, on this coordinator or another).</summary>
    public async Task<RunLaunchAnswered> LaunchAsync(LaunchRunRequested request, CancellationToken cancellationToken = default)
    {
        const string action = Chain.Attestations.AdminAction.LaunchRun;
        var verdict = coordinator.Admin.Check(action, request.RequestId, System.Text.Encoding.UTF8.GetBytes(request.SpecJson),
            request.Admin, request.IssuedAt, request.Signature);
        if (verdict.Refusal is { } refusal) return Refused(request, refusal);
        RunSpec spec;
        try
        {
            // A spec that cannot run does not use up the request: checked before it is recorded.
            spec = RunSpecFile.ParseJson(request.SpecJson);
            SpecModels.Create(spec.Model);
            Data.Dataset.Check(spec.Dataset, coordinator.Options.DataRoot);
        }
        catch (RunSpecException e)
        {
            return new RunLaunchAnswered { RequestId = request.RequestId, Error = $"invalid run spec: {e.Message}" };
        }
        var runId = coordinator.NewRunId();
        if (await coordinator.AdminActions.ClaimAsync(action, request.RequestId, request.IssuedAt!.Value, verdict, runId, cancellationToken) is { } first)
            return Refused(request, Trust.AdminActionLog.Replayed(first), first.RunId);
        try
        {
            return new RunLaunchAnswered { RequestId = request.RequestId, RunId = await LaunchAsync(spec, null, runId, cancellationToken) };
        }
        catch (RunSpecException e)
        {
            return new RunLaunchAnswered { RequestId = request.RequestId, Error = $"invalid run spec: {e.Message}" };
        }
    }

    private RunLaunchAnswered Refused(LaunchRunRequested request, string refusal, string? existingRun = null)
    {
        log?.WriteLine($"launch request {request.RequestId} refused: {refusal}");
        return new RunLaunchAnswered { RequestId = request.RequestId, RunId = existingRun, Error = $"refused: {refusal}" };
    }

    /// <summary>Launches a run from spec JSON (as `fed launch` sends it) and starts driving it.</summary>
    public Task<string> LaunchAsync(string specJson, CancellationToken cancellationToken = default) =>
        LaunchAsync(RunSpecFile.ParseJson(specJson), null, cancellationToken);

    /// <summary>Launches a run and starts driving it; a dataset file comes from <paramref name="dataRoot"/>, or when
    /// null from the coordinator's configured root (<see cref="CoordinatorOptions.DataRoot"/>).</summary>
    public Task<string> LaunchAsync(RunSpec spec, Data.DataRoot? dataRoot, CancellationToken cancellationToken = default) =>
        LaunchAsync(spec, dataRoot, null, cancellationToken);

    private async Task<string> LaunchAsync(RunSpec spec, Data.DataRoot? dataRoot, string? runId, CancellationToken cancellationToken)
    {
        runId = await coordinator.LaunchAsync(spec, runId, dataRoot, cancellationToken);
        log?.WriteLine($"launched run {runId}: {spec.Rounds} rounds, {spec.ShardsPerRound} shards per round");
        Drive(runId);
        return runId;
    }

    /// <summary>Waits for a run's driver to finish (for tests and `fed run` against a host).</summary>
    public Task<RunState> CompletionOf(string runId) =>
        _drives.TryGetValue(runId, out var drive) ? drive : throw new InvalidOperationException($"run {runId} is not driven by this host");

    private void Drive(string runId) =>
        _drives[runId] = Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var state = await coordinator.DriveAsync(runId, progress, _stopping.Token);
                    log?.WriteLine($"run {runId} {state.Status.ToString().ToLowerInvariant()}" + (state.FailureReason is null ? "" : $": {state.FailureReason}"));
                    return state;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < MaxDriverRestarts)
                {
                    // A store or blob outage (e.g. PostgreSQL restarting) stops the loop; everything decided so far is in the
                    // log, so reload the run from it and drive on.
                    log?.WriteLine($"run {runId}: driver stopped: {e.Message}; reloading from the event store in {DriverRestartDelay.TotalSeconds:0} s");
                    await Task.Delay(DriverRestartDelay, _stopping.Token);
                    await ReloadAsync(runId);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log?.WriteLine($"run {runId}: driver stopped: {e.Message}");
                    throw;
                }
            }
        });

    /// <summary>Reloads a run whose driver stopped, retrying while the store is still away.</summary>
    private async Task ReloadAsync(string runId)
    {
        while (true)
        {
            try
            {
                await coordinator.ResumeAsync(runId, _stopping.Token);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log?.WriteLine($"run {runId}: cannot reload yet: {e.Message}");
                await Task.Delay(DriverRestartDelay, _stopping.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var drive in _drives.Values)
        {
            try { await drive; }
            catch (OperationCanceledException) { }
            catch (Exception) { /* already logged by the driver */ }
        }
        _stopping.Dispose();
    }
}
