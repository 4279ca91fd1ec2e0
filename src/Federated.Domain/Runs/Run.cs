using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

/// <summary>The run's decisions: given a command, the state and the time, which events happen.
/// Pure: no I/O, no clock, no randomness. An impossible command throws <see cref="DomainException"/>.</summary>
public static partial class Run
{
    /// <exception cref="RunEndedException">The run has completed or failed: its stream is closed, no command is decided
    /// after that (a launch of it again is refused as already launched).</exception>
    public static IReadOnlyList<object> Decide(RunCommand command, RunState state, DateTimeOffset now) =>
        state.HasEnded && command is not LaunchRun
            ? throw new RunEndedException(state.RunId, state.Status, command.GetType().Name)
            : DecideOpen(command, state, now);

    private static IReadOnlyList<object> DecideOpen(RunCommand command, RunState state, DateTimeOffset now) => command switch
    {
        LaunchRun c => Launch(c, state, now),
        JoinWorker c => Join(c, state, now),
        RefuseWorker c => state.IsRunning ? [new WorkerRegistrationRefused(state.RunId, c.WorkerId, c.Address, c.Reason, now)] : [],
        LeaveWorker c => Leave(c, state, now),
        OpenRound c => Open(c, state, now),
        LeaseShard c => Lease(c, state, now),
        ExpireLeases => Expire(state, now),
        ReleaseLease c => Release(c, state, now),
        SubmitUpdate c => Submit(c, state, now),
        AggregateRound c => Aggregate(c, state, now),
        FailRun c => state.IsRunning ? [new RunFailed(state.RunId, c.Reason, now)] : [],
        RefuseAdminRequest c => state.Status == RunStatus.None ? [] : [new AdminRequestRefused(state.RunId, c.Action, c.Admin, c.Reason, now)],
        _ => throw new ArgumentException($"unknown command {command.GetType().Name}", nameof(command)),
    };

    private static IReadOnlyList<object> Launch(LaunchRun c, RunState state, DateTimeOffset now)
    {
        if (state.Status != RunStatus.None) throw new DomainException($"run {state.RunId} was already launched");
        RunSpecValidator.Validate(c.Spec);
        if (string.IsNullOrWhiteSpace(c.RunId)) throw new DomainException("run id must not be empty");
        return [new RunLaunched(c.RunId, c.Spec, c.ModelDescription, c.ParameterCount, c.InitialModelHash, c.TrainSetHash, c.TrainTokens,
            c.ValidationSetHash, c.ValidationTokens, c.InitialValidationLoss, now)];
    }


    /// <summary>The worker leaves, and every lease it still holds in the open round ends with it: a lease given to it just
    /// before its leave was decided (e.g. the shard it handed back on stopping, leased to it again) would otherwise hold
    /// that shard until the lease's deadline.</summary>
    private static IReadOnlyList<object> Leave(LeaveWorker c, RunState state, DateTimeOffset now)
    {
        if (!state.IsRunning || !state.Workers.TryGetValue(c.WorkerId, out var w) || !w.Active) return [];
        var events = new List<object> { new WorkerLeft(state.RunId, c.WorkerId, c.Reason, now) };
        if (state.OpenRound is { } round)
        {
            events.AddRange(round.Leases.Values
                .Where(l => l.WorkerId == c.WorkerId && !l.Expired && l.ExpiresAt > now && !round.Accepted.ContainsKey(l.ShardId))
                .OrderBy(l => l.ShardId).ThenBy(l => l.LeaseId, StringComparer.Ordinal)
                .Select(l => (object)new ShardLeaseExpired(state.RunId, round.Round, l.ShardId, l.LeaseId, l.WorkerId, now)));
        }
        return events;
    }

    private static IReadOnlyList<object> Open(OpenRound c, RunState state, DateTimeOffset now)
    {
        RequireRunning(state);
        var spec = state.Spec!;
        if (state.OpenRound is not null) throw new DomainException($"round {state.OpenRound.Round} is still open");
        if (c.Round != state.LastAggregatedRound + 1) throw new DomainException($"next round is {state.LastAggregatedRound + 1}, not {c.Round}");
        if (c.Round > spec.Rounds) throw new DomainException($"the run has only {spec.Rounds} rounds");
        if (c.BaseModelHash != state.CurrentModelHash) throw new DomainException($"round must start from the current model {state.CurrentModelHash}, not {c.BaseModelHash}");
        if (c.Shards.Count == 0) throw new DomainException("a round needs at least one shard");
        if (c.Shards.Select(s => s.ShardId).Distinct().Count() != c.Shards.Count) throw new DomainException("shard ids must be unique within a round");
        return [new RoundOpened(state.RunId, c.Round, c.BaseModelHash, c.Shards, now, now.AddSeconds(spec.RoundTimeoutSeconds))];
    }

    private static IReadOnlyList<object> Lease(LeaseShard c, RunState state, DateTimeOffset now)
    {
        RequireRunning(state);
        var round = state.OpenRound ?? throw new DomainException("no round is open");
        if (!state.Workers.TryGetValue(c.WorkerId, out var w) || !w.Active) throw new DomainException($"worker {c.WorkerId} has not joined the run");
        if (round.Shard(c.ShardId) is null) throw new DomainException($"round {round.Round} has no shard {c.ShardId}");
        if (round.Accepted.ContainsKey(c.ShardId)) throw new DomainException($"shard {c.ShardId} of round {round.Round} is already completed");
        if (round.ActiveLease(c.ShardId) is { } held) throw new DomainException($"shard {c.ShardId} is leased to {held.WorkerId} until {held.ExpiresAt:O}");
        if (round.Leases.ContainsKey(c.LeaseId)) throw new DomainException($"lease id {c.LeaseId} was already used");
        if (round.RejectedWorkers.Contains((c.ShardId, c.WorkerId)))
            throw new DomainException($"worker {c.WorkerId} already sent a rejected update for shard {c.ShardId} in round {round.Round}");
        return [new ShardLeased(state.RunId, round.Round, c.ShardId, c.LeaseId, c.WorkerId, now, now.AddSeconds(state.Spec!.LeaseSeconds))];
    }

    private static IReadOnlyList<object> Expire(RunState state, DateTimeOffset now)
    {
        if (state.OpenRound is not { } round) return [];
        var overdue = round.Leases.Values
            .Where(l => !l.Expired && l.ExpiresAt <= now && !round.Accepted.ContainsKey(l.ShardId))
            .OrderBy(l => l.ShardId).ThenBy(l => l.LeaseId, StringComparer.Ordinal)
            .ToList();
        var events = overdue.Select(l => (object)new ShardLeaseExpired(state.RunId, round.Round, l.ShardId, l.LeaseId, l.WorkerId, now)).ToList();
        // A worker that lets a lease run out is taken as gone: it gets no more work until it announces itself again.
        foreach (var worker in overdue.Select(l => l.WorkerId).Distinct().Order(StringComparer.Ordinal))
        {
            if (state.Workers.TryGetValue(worker, out var w) && w.Active)
                events.Add(new WorkerLeft(state.RunId, worker, "missed a lease deadline", now));
        }
        return events;
    }

    private static IReadOnlyList<object> Release(ReleaseLease c, RunState state, DateTimeOffset now)
    {
        if (state.OpenRound is not { } round || !round.Leases.TryGetValue(c.LeaseId, out var lease)) return [];
        if (lease.Expired || lease.WorkerId != c.WorkerId || round.Accepted.ContainsKey(lease.ShardId)) return [];
        return [new ShardLeaseExpired(state.RunId, round.Round, lease.ShardId, lease.LeaseId, lease.WorkerId, now)];
    }

    private static IReadOnlyList<object> Submit(SubmitUpdate c, RunState state, DateTimeOffset now)
    {
        // A redelivered message (same lease, same update) was already decided: record nothing, count nothing.
        if (state.Status == RunStatus.None) throw new DomainException("the run has not been launched");
        if (state.DecidedSubmissions.Contains(new SubmissionKey(c.LeaseId, c.UpdateHash))) return [];

        var submitted = new UpdateSubmitted(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, c.UpdateHash, c.Tokens, c.TrainLoss, now);
        // Who sent it is settled before anything else; a message that is not the worker's never touches its lease.
        if (AuthenticationFailure(c, state, now) is { } forged)
            return [submitted, new UpdateRejected(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, c.UpdateHash, forged, now)];
        var signed = c.Signature is { Signer: { } signer } s
            ? new ContributionSigned(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, signer, s.Signature, s.Deadline, now)
            : null;
        return WithSigned(signed, Decided(c, state, now, submitted));
    }

    private static IReadOnlyList<object> Decided(SubmitUpdate c, RunState state, DateTimeOffset now, UpdateSubmitted submitted)
    {
        var reason = RejectionFor(c, state, now);
        if (reason is null && SpotCheckOf(c, state) is { Matched: false } failed)
            return SpotCheckFailed(c, state, now, submitted, failed);
        if (reason is null && SpotCheckOf(c, state) is { } passed)
            return [submitted, passed with { CheckedAt = now }, .. Decided(c, state, now, submitted, null).Skip(1)];
        return Decided(c, state, now, submitted, reason);
    }

    private static IReadOnlyList<object> Decided(SubmitUpdate c, RunState state, DateTimeOffset now, UpdateSubmitted submitted, string? reason)
    {
        if (reason is not null)
        {
            var rejected = new UpdateRejected(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, c.UpdateHash, reason, now);
            // The holder of a live lease sent a bad update: end its lease so the shard can go to another worker.
            return EndsLiveLease(c, state)
                ? [submitted, rejected, new ShardLeaseExpired(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, now)]
                : [submitted, rejected];
        }
        return
        [
            submitted,
            new UpdateAccepted(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, c.UpdateHash, WeightOf(c, state), now),
            new ShardCompleted(state.RunId, c.Round, c.ShardId, c.WorkerId, now),
        ];
    }

    /// <summary>An update's aggregation weight: the tokens it processed, capped at what its shard holds and at what its
    /// local steps can train on. Several local passes over a shard process more tokens than it holds, but they add no
    /// data, so they earn no extra weight; a claim above the steps' ceiling is simply untrue.</summary>
    private static long WeightOf(SubmitUpdate c, RunState state) =>
        Math.Min(Math.Min(c.Tokens, state.OpenRound!.Shard(c.ShardId)!.Tokens), c.TokenCeiling ?? long.MaxValue);

    private static bool EndsLiveLease(SubmitUpdate c, RunState state) =>
        state.OpenRound is { } round && round.Round == c.Round && !round.Accepted.ContainsKey(c.ShardId)
        && round.Leases.GetValueOrDefault(c.LeaseId) is { Expired: false } held && held.WorkerId == c.WorkerId && held.ShardId == c.ShardId;

    private static string? RejectionFor(SubmitUpdate c, RunState state, DateTimeOffset now)
    {
        if (!state.IsRunning) return $"{RejectionReasons.RunNotRunning}: run is {state.Status}";
        if (state.OpenRound is not { } round || round.Round != c.Round)
            return $"{RejectionReasons.WrongRound}: update is for round {c.Round}, open round is {(state.OpenRound?.Round.ToString() ?? "none")}";
        if (round.Shard(c.ShardId) is not { } shard) return $"{RejectionReasons.UnknownShard}: round {round.Round} has no shard {c.ShardId}";
        if (!round.Leases.TryGetValue(c.LeaseId, out var lease) || lease.ShardId != c.ShardId)
            return $"{RejectionReasons.UnknownLease}: lease {c.LeaseId} was not granted for shard {c.ShardId}";
        if (lease.WorkerId != c.WorkerId) return $"{RejectionReasons.NotLeaseHolder}: lease {c.LeaseId} belongs to {lease.WorkerId}, not {c.WorkerId}";
        if (round.Accepted.ContainsKey(c.ShardId)) return $"{RejectionReasons.ShardAlreadyCompleted}: shard {c.ShardId} already has an accepted update";
        if (lease.Expired || lease.ExpiresAt <= now) return $"{RejectionReasons.LeaseExpired}: lease {c.LeaseId} expired at {lease.ExpiresAt:O}";
        if (c.Tokens <= 0) return $"{RejectionReasons.InvalidUpdate}: claimed {c.Tokens} tokens processed; an update processes at least one";
        if (c.Defect is not null) return $"{RejectionReasons.InvalidUpdate}: {c.Defect}";
        if (!float.IsFinite(c.TrainLoss)) return $"{RejectionReasons.InvalidUpdate}: reported train loss is {c.TrainLoss}";
        if (c.Magnitude is { } magnitude && Aggregation.UpdateBounds.Violation(magnitude, state.Spec!.Verification) is { } outOfBounds)
            return $"{RejectionReasons.UpdateNormOutOfBounds}: {outOfBounds}";
        if (c.Signature?.BaseModelHash is { } signedBase && signedBase != round.BaseModelHash)
            return $"{RejectionReasons.WrongBaseModel}: signed as trained from {signedBase}, round {round.Round} starts from {round.BaseModelHash}";
        return null;
    }

    private static IReadOnlyList<object> Aggregate(AggregateRound c, RunState state, DateTimeOffset now)
    {
        RequireRunning(state);
        var round = state.OpenRound ?? throw new DomainException("no round is open");
        if (round.Round != c.Round) throw new DomainException($"open round is {round.Round}, not {c.Round}");
        if (round.Accepted.Count == 0) throw new DomainException($"round {round.Round} has no accepted update to aggregate");
        // A model that is not finite is never recorded: every worker would train from it (the application fails the run instead).
        if (!float.IsFinite(c.ValidationLoss)) throw new DomainException($"round {round.Round} validation loss is {c.ValidationLoss}; a recorded model must evaluate to a finite loss");
        var spec = state.Spec!;
        var quorum = spec.QuorumOf(round.Shards.Length);
        if (round.Accepted.Count < quorum && now < round.Deadline)
            throw new DomainException($"round {round.Round} has {round.Accepted.Count} of the {quorum} updates its quorum needs and its deadline {round.Deadline:O} has not passed");

        var updates = round.Accepted.Values.ToList(); // sorted by shard id: the aggregation order
        var tokens = updates.Sum(u => u.Weight);
        var trainLoss = TrainLossOf(round, updates);
        var metrics = new RoundMetrics(trainLoss, c.ValidationLoss, tokens, updates.Select(u => u.WorkerId).Distinct().Count(), round.Rejected, c.ElapsedSeconds);
        var aggregated = new RoundAggregated(state.RunId, round.Round, round.BaseModelHash, c.ModelHash, spec.Aggregator, spec.OuterLearningRate, updates, metrics, now);
        var scored = ScoredEvents(c, state, round, now);
        return round.Round == spec.Rounds
            ? [aggregated, .. scored, new RunCompleted(state.RunId, c.ModelHash, c.ValidationLoss, now)]
            : [aggregated, .. scored];
    }

    /// <summary>Token-weighted mean of the train losses the accepted updates reported.</summary>
    private static float TrainLossOf(RoundState round, IReadOnlyList<AggregatedUpdate> updates)
    {
        var total = updates.Sum(u => u.Weight);
        return total == 0 ? float.NaN : (float)updates.Sum(u => round.TrainLosses.GetValueOrDefault(u.ShardId) * u.Weight) / total;
    }

    private static void RequireRunning(RunState state)
    {
        if (state.Status == RunStatus.None) throw new DomainException("the run has not been launched");
        if (!state.IsRunning) throw new DomainException($"run {state.RunId} is {state.Status.ToString().ToLowerInvariant()}");
    }
}
