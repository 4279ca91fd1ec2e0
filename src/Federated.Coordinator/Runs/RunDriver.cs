using System.Diagnostics;
using Federated.Contracts;
using Federated.Coordinator.Data;
using Federated.Coordinator.Models;
using Federated.Domain;
using Federated.Domain.Runs;
using Federated.Engine;

namespace Federated.Coordinator.Runs;

/// <summary>
/// Moves one run forward: opens rounds, leases shards to idle workers, expires overdue leases, and aggregates
/// when the round has its quorum (or its deadline passed with at least one update). Messages from workers
/// arrive concurrently through <see cref="SubmitAsync"/>; they wake the loop, which alone opens and closes rounds.
/// </summary>
internal sealed class RunDriver(RunCoordinator coordinator, RunSession session, ILanguageModel model, byte[] train, int[] validation)
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Stopwatch _roundClock = new();

    public RunSession Session { get; } = session;
    public int ParameterCount => model.ParameterCount;

    public async Task<RunState> DriveAsync(IProgress<RoundReport>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await LoopAsync(progress, cancellationToken);
        }
        catch (RunEndedException)
        {
            // Stopped by an admin while this loop was deciding its next step: the run is over, nothing more to do.
        }
        return Session.State;
    }

    private async Task LoopAsync(IProgress<RoundReport>? progress, CancellationToken cancellationToken)
    {
        while (Session.State.IsRunning)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A lease that ran out is a strike against its worker in the address book (enough in a row bench it); the
            // run itself records the expiry and the worker's leaving.
            foreach (var expired in (await Session.ExecuteAsync(new ExpireLeases(), cancellationToken)).OfType<RunEvents.V1.ShardLeaseExpired>())
                coordinator.Workers.LeaseExpired(expired.WorkerId);
            await LeaveUnavailableWorkersAsync(cancellationToken);
            var state = Session.State;
            if (state.OpenRound is null)
            {
                await OpenNextRoundAsync(state, cancellationToken);
                continue;
            }
            var round = state.OpenRound;
            var now = coordinator.Time.GetUtcNow();
            if (IsReady(state, round, now))
            {
                await AggregateAsync(round, progress, cancellationToken);
                continue;
            }
            if (now >= round.Deadline && round.Accepted.Count == 0)
            {
                await Session.ExecuteAsync(new FailRun($"round {round.Round} reached its deadline {round.Deadline:O} with no accepted update"), cancellationToken);
                break;
            }
            await JoinKnownWorkersAsync(cancellationToken);
            await AssignShardsAsync(cancellationToken);
            await _wake.WaitAsync(coordinator.Options.Tick, cancellationToken);
        }
    }

    public async Task JoinAsync(string workerId, int threads, string? address, CancellationToken cancellationToken)
    {
        if (!Session.State.IsRunning) return;
        try
        {
            await Session.ExecuteAsync(new JoinWorker(workerId, threads, address), cancellationToken);
        }
        catch (RunEndedException)
        {
            return; // ended meanwhile: its log is closed
        }
        _wake.Release();
    }

    public async Task SubmitAsync(ShardTrained message, CancellationToken cancellationToken)
    {
        // The signature first: a message that is not the worker's costs no blob read.
        var submission = new SubmitUpdate(message.Round, message.ShardId, message.LeaseId, message.WorkerId,
            message.UpdateHash, message.Tokens, message.TrainLoss, null, Trust.SubmissionAuthenticator.Check(message, Session.State.Spec?.ChainId));
        if (Run.AuthenticationFailure(submission, Session.State, coordinator.Time.GetUtcNow()) is null)
        {
            var baseNorm = Session.State.OpenRound is { } open ? await BaseNormAsync(open.BaseModelHash, cancellationToken) : 0;
            var inspection = await UpdateValidator.InspectAsync(coordinator.Blobs, message.UpdateHash, model.ParameterCount, baseNorm, cancellationToken);
            submission = submission with { Defect = inspection.Defect, Magnitude = inspection.Magnitude, TokenCeiling = TokenCeilingOf(message) };
        }
        if (Run.NeedsSpotCheck(submission, Session.State, coordinator.Time.GetUtcNow()))
            submission = submission with { SpotCheck = await Trust.SpotChecker.RunAsync(coordinator.Blobs, Session.State, submission, coordinator.Options.EvalThreads, cancellationToken) };
        var decided = await Session.ExecuteAsync(submission, cancellationToken);
        if (decided.OfType<RunEvents.V1.UpdateAccepted>().Any(a => a.WorkerId == message.WorkerId))
            coordinator.Workers.Delivered(message.WorkerId);
        _wake.Release();
    }

    /// <summary>The base model's norm, read once per round (every submission of the round is measured against it).</summary>
    private async Task<double> BaseNormAsync(string baseModelHash, CancellationToken cancellationToken)
    {
        if (_baseNorm is { } known && known.Hash == baseModelHash) return known.Norm;
        var norm = await UpdateValidator.BaseNormAsync(coordinator.Blobs, baseModelHash, model.ParameterCount, cancellationToken);
        _baseNorm = (baseModelHash, norm);
        return norm;
    }

    private (string Hash, double Norm)? _baseNorm;

    /// <summary>What the task's local steps train on, as the model counts tokens; null for a shard the open round lacks
    /// (the run rejects that submission anyway).</summary>
    private long? TokenCeilingOf(ShardTrained message)
    {
        var state = Session.State;
        if (state.Spec is not { } spec || state.OpenRound?.Shard(message.ShardId) is not { } shard) return null;
        return model.TrainTokens(spec.LocalSteps, spec.BatchSize, (int)Math.Min(int.MaxValue, shard.Tokens));
    }

    /// <summary>The worker leaves the run; the leases it still held end with it, so the loop is woken to lease them again.</summary>
    public async Task LeaveAsync(string workerId, string reason, CancellationToken cancellationToken)
    {
        if (!Session.State.IsRunning) return;
        try
        {
            await Session.ExecuteAsync(new LeaveWorker(workerId, reason), cancellationToken);
        }
        catch (RunEndedException)
        {
            return; // ended meanwhile: its log is closed
        }
        _wake.Release();
    }

    public async Task ReleaseAsync(ShardFailed message, CancellationToken cancellationToken)
    {
        await Session.ExecuteAsync(new ReleaseLease(message.LeaseId, message.WorkerId), cancellationToken);
        _wake.Release();
    }

    private static bool IsReady(RunState state, RoundState round, DateTimeOffset now)
    {
        if (round.Accepted.Count == 0) return false;
        var quorum = state.Spec!.QuorumOf(round.Shards.Length);
        return round.Accepted.Count >= quorum || now >= round.Deadline;
    }

    private async Task OpenNextRoundAsync(RunState state, CancellationToken cancellationToken)
    {
        var spec = state.Spec!;
        var roundNumber = state.LastAggregatedRound + 1;
        var plan = ShardPlanner.Plan(spec.Seed, roundNumber, spec.ShardsPerRound, spec.ShardTokens, train.Length);
        var shards = new List<RunEvents.V1.ShardPlan>(plan.Count);
        foreach (var p in plan)
        {
            var hash = await coordinator.Blobs.PutAsync(train.AsMemory(p.Offset, p.Length), cancellationToken);
            shards.Add(new RunEvents.V1.ShardPlan(p.ShardId, hash.Hex, p.Length, p.Seed));
        }
        _roundClock.Restart();
        await Session.ExecuteAsync(new OpenRound(roundNumber, state.CurrentModelHash, shards), cancellationToken);
    }

    /// <summary>A member the address book has stopped counting on (silent past the timeout, or benched) leaves the run,
    /// recorded, so the log says why it got no more work; it joins again once it is available.</summary>
    private async Task LeaveUnavailableWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var member in Session.State.Workers.Values.Where(m => m.Active).OrderBy(m => m.WorkerId, StringComparer.Ordinal).ToList())
        {
            if (coordinator.Workers.Unavailability(member.WorkerId) is { } why)
                await Session.ExecuteAsync(new LeaveWorker(member.WorkerId, why), cancellationToken);
        }
    }

    private async Task JoinKnownWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var worker in coordinator.Workers.Leasable())
        {
            if (!Session.State.Workers.TryGetValue(worker.WorkerId, out var member) || !member.Active)
                await Session.ExecuteAsync(new JoinWorker(worker.WorkerId, worker.Threads, worker.Address), cancellationToken);
        }
    }

    /// <summary>Gives each free shard to an idle, reachable worker, recording the lease before sending the task.</summary>
    private async Task AssignShardsAsync(CancellationToken cancellationToken)
    {
        var state = Session.State;
        if (state.OpenRound is not { } round) return;
        var busy = round.Leases.Values.Where(l => !l.Expired && !round.Accepted.ContainsKey(l.ShardId)).Select(l => l.WorkerId).ToHashSet(StringComparer.Ordinal);
        // Leasable: heard from within the timeout and not benched, the recently heard first.
        var idle = coordinator.Workers.Leasable()
            .Where(w => !busy.Contains(w.WorkerId) && state.Workers.TryGetValue(w.WorkerId, out var m) && m.Active)
            .ToList();
        var free = round.UnassignedShards().ToList();
        foreach (var worker in idle)
        {
            var shard = free.FirstOrDefault(s => round.MayLease(s.ShardId, worker.WorkerId));
            if (shard is null) continue;
            free.Remove(shard);
            var leaseId = Guid.NewGuid().ToString("N");
            IReadOnlyList<object> events;
            try
            {
                events = await Session.ExecuteAsync(new LeaseShard(shard.ShardId, worker.WorkerId, leaseId), cancellationToken);
            }
            catch (DomainException)
            {
                continue; // the worker left (or the shard was taken) since the state was read; the next pass sees it
            }
            var leased = events.OfType<RunEvents.V1.ShardLeased>().Single();
            var task = TaskFor(state.Spec!, round, shard, leased);
            try
            {
                await coordinator.Dispatcher.SendAsync(worker.Endpoint, task, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreachable worker: give the shard back now rather than wait for the lease to run out.
                await Session.ExecuteAsync(new ReleaseLease(leaseId, worker.WorkerId), cancellationToken);
                coordinator.Workers.Remove(worker.WorkerId);
            }
        }
    }

    private TrainShard TaskFor(RunSpec spec, RoundState round, RunEvents.V1.ShardPlan shard, RunEvents.V1.ShardLeased lease) => new()
    {
        RunId = Session.RunId,
        Round = round.Round,
        ShardId = shard.ShardId,
        LeaseId = lease.LeaseId,
        WorkerId = lease.WorkerId,
        BaseModelHash = round.BaseModelHash,
        ShardDataHash = shard.DataHash,
        ModelFamily = spec.Model.Family,
        ModelSettings = spec.Model.Settings,
        LocalSteps = spec.LocalSteps,
        BatchSize = spec.BatchSize,
        LearningRate = spec.LearningRate,
        WeightDecay = spec.WeightDecay,
        Seed = shard.Seed,
        LeaseExpiresAt = lease.ExpiresAt,
        ChainId = spec.ChainId,
        BlobToken = coordinator.Options.BlobTokens?.Issue(Session.RunId, lease.LeaseId, lease.WorkerId),
    };

    private async Task AggregateAsync(RoundState round, IProgress<RoundReport>? progress, CancellationToken cancellationToken)
    {
        var spec = Session.State.Spec!;
        var updates = round.Accepted.Values.Select(u => (u.UpdateHash, u.Weight)).ToList();
        ModelAggregation.Result next;
        try
        {
            next = await ModelAggregation.ComputeAsync(coordinator.Blobs, round.BaseModelHash, updates, model.ParameterCount,
                spec.Aggregator, spec.ToAggregatorSettings(), spec.Verification, spec.OuterLearningRate, cancellationToken);
        }
        catch (Domain.Aggregation.NonFiniteModelException e)
        {
            // Never hand workers a model that is not a number: the run stops here, with the reason in its log.
            await Session.ExecuteAsync(new FailRun($"round {round.Round} could not be aggregated: {e.Message}"), cancellationToken);
            return;
        }
        var validationLoss = model.Evaluate(next.Weights, validation, new EvaluateOptions(spec.EvalTokens) { Threads = coordinator.Options.EvalThreads });
        if (!float.IsFinite(validationLoss))
        {
            await Session.ExecuteAsync(new FailRun($"round {round.Round} model {next.Hash.Hex} evaluates to validation loss {validationLoss}; it is not recorded"), cancellationToken);
            return;
        }
        await coordinator.Blobs.PutAsync(next.Bytes, cancellationToken);
        var elapsed = _roundClock.IsRunning ? _roundClock.Elapsed : TimeSpan.Zero;
        var events = await Session.ExecuteAsync(new AggregateRound(round.Round, next.Hash.Hex, validationLoss, elapsed.TotalSeconds,
            Trust.RoundScores.Of(round, next)), cancellationToken);
        var aggregated = events.OfType<RunEvents.V1.RoundAggregated>().Single();
        progress?.Report(new RoundReport(Session.RunId, round.Round, spec.Rounds, aggregated.AggregatedUpdates.Count, round.Rejected,
            aggregated.Metrics.TrainLoss, validationLoss, aggregated.Metrics.Tokens, elapsed));
    }
}
