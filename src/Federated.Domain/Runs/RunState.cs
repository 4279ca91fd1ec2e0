using System.Collections.Immutable;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

public enum RunStatus
{
    None,
    Running,
    Completed,
    Failed,
}

/// <summary>A run as its events describe it. Immutable; rebuilt only by folding events through <see cref="Evolve"/>.</summary>
public sealed record RunState
{
    public static readonly RunState Initial = new();

    public string RunId { get; init; } = "";
    public RunStatus Status { get; init; }
    public RunSpec? Spec { get; init; }
    public string CurrentModelHash { get; init; } = "";
    public int LastAggregatedRound { get; init; }
    public ImmutableSortedDictionary<string, WorkerMembership> Workers { get; init; } = ImmutableSortedDictionary<string, WorkerMembership>.Empty;
    public RoundState? OpenRound { get; init; }
    public ImmutableList<RoundAggregated> History { get; init; } = [];
    /// <summary>Every (lease, update) pair ever decided in this run: a repeat is a redelivered message, not a new submission.</summary>
    public ImmutableHashSet<SubmissionKey> DecidedSubmissions { get; init; } = [];
    /// <summary>Leases that already had a signed submission decided, and the signatures used: a second one is a replay.</summary>
    public ImmutableHashSet<string> SignedLeases { get; init; } = [];
    public ImmutableHashSet<string> SeenSignatures { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);
    public int AcceptedUpdates { get; init; }
    public int RejectedUpdates { get; init; }
    public float InitialValidationLoss { get; init; }
    public string? FailureReason { get; init; }

    public bool IsRunning => Status == RunStatus.Running;

    /// <summary>Completed or failed: the run's stream is closed (<see cref="Run.Decide"/> refuses every command).</summary>
    public bool HasEnded => Status is RunStatus.Completed or RunStatus.Failed;

    public static RunState Evolve(RunState state, object @event) => @event switch
    {
        RunLaunched e => state with
        {
            RunId = e.RunId, Status = RunStatus.Running, Spec = e.Spec, CurrentModelHash = e.InitialModelHash,
            InitialValidationLoss = e.InitialValidationLoss,
        },
        WorkerJoined e => state with
        {
            Workers = state.Workers.SetItem(e.WorkerId, state.Workers.TryGetValue(e.WorkerId, out var known)
                ? known with { Threads = e.Threads, Active = true }
                : new WorkerMembership(e.WorkerId, e.Threads, Active: true)),
        },
        WorkerIdentified e when state.Workers.TryGetValue(e.WorkerId, out var w) => state with { Workers = state.Workers.SetItem(e.WorkerId, w with { Address = e.Address }) },
        WorkerIdentified e => state with { Workers = state.Workers.SetItem(e.WorkerId, new WorkerMembership(e.WorkerId, 1, Active: false, Address: e.Address)) },
        WorkerRegistrationRefused => state,
        SpotChecked => state,
        ContributionScored => state,
        AdminRequestRefused => state,
        WorkerFlagged e when state.Workers.TryGetValue(e.WorkerId, out var w) => state with { Workers = state.Workers.SetItem(e.WorkerId, w with { Active = false, Flagged = true }) },
        WorkerFlagged => state,
        ContributionSigned e => state with { SignedLeases = state.SignedLeases.Add(e.LeaseId), SeenSignatures = state.SeenSignatures.Add(e.Signature) },
        WorkerLeft e when state.Workers.TryGetValue(e.WorkerId, out var w) => state with { Workers = state.Workers.SetItem(e.WorkerId, w with { Active = false }) },
        WorkerLeft => state,
        RoundOpened e => state with { OpenRound = RoundState.Open(e) },
        ShardLeased e => WithRound(state, r => r with { Leases = r.Leases.SetItem(e.LeaseId, new ShardLease(e.LeaseId, e.ShardId, e.WorkerId, e.ExpiresAt, Expired: false)) }),
        ShardLeaseExpired e => WithRound(state, r => r.Leases.TryGetValue(e.LeaseId, out var l) ? r with { Leases = r.Leases.SetItem(e.LeaseId, l with { Expired = true }) } : r),
        UpdateSubmitted e => WithRound(state, r => r with { Submissions = r.Submissions.SetItem(new SubmissionKey(e.LeaseId, e.UpdateHash), e.TrainLoss) })
            with { DecidedSubmissions = state.DecidedSubmissions.Add(new SubmissionKey(e.LeaseId, e.UpdateHash)) },
        UpdateAccepted e => WithRound(state, r => r with
            {
                Accepted = r.Accepted.SetItem(e.ShardId, new AggregatedUpdate(e.ShardId, e.WorkerId, e.UpdateHash, e.Weight)),
                AcceptedOrder = r.AcceptedOrder.Add(e.ShardId),
                TrainLosses = r.TrainLosses.SetItem(e.ShardId, r.Submissions.GetValueOrDefault(new SubmissionKey(e.LeaseId, e.UpdateHash), float.NaN)),
            })
            with { AcceptedUpdates = state.AcceptedUpdates + 1 },
        UpdateRejected e => WithRound(state, r => r.Round != e.Round ? r : r with
            {
                Rejected = r.Rejected + 1,
                RejectedWorkers = LocksOut(e.Reason) ? r.RejectedWorkers.Add((e.ShardId, e.WorkerId)) : r.RejectedWorkers,
            }) with
            {
                RejectedUpdates = state.RejectedUpdates + 1,
                // A message that failed authentication was not the worker's: its real submission of that update still counts.
                DecidedSubmissions = RejectionReasons.IsAuthentication(e.Reason)
                    ? state.DecidedSubmissions.Remove(new SubmissionKey(e.LeaseId, e.UpdateHash))
                    : state.DecidedSubmissions,
            },
        ShardCompleted => state,
        RoundAggregated e => state with
        {
            OpenRound = null, CurrentModelHash = e.ModelHash, LastAggregatedRound = e.Round, History = state.History.Add(e),
        },
        RunCompleted => state with { Status = RunStatus.Completed },
        RunFailed e => state with { Status = RunStatus.Failed, FailureReason = e.Reason, OpenRound = null },
        _ => throw new ArgumentException($"unknown run event {@event.GetType().Name}", nameof(@event)),
    };

    public static RunState Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);

    /// <summary>A worker that trained the shard badly does not get it again this round; a misaddressed submission
    /// (wrong lease, wrong round) says nothing about its training.</summary>
    private static bool LocksOut(string reason) =>
        reason.StartsWith(RejectionReasons.InvalidUpdate, StringComparison.Ordinal) || reason.StartsWith(RejectionReasons.TokensExceedShard, StringComparison.Ordinal)
        || reason.StartsWith(RejectionReasons.SpotCheckMismatch, StringComparison.Ordinal)
        || reason.StartsWith(RejectionReasons.UpdateNormOutOfBounds, StringComparison.Ordinal);

    private static RunState WithRound(RunState state, Func<RoundState, RoundState> change) =>
        state.OpenRound is null ? state : state with { OpenRound = change(state.OpenRound) };
}

/// <param name="Address">The address the worker registered with (WorkerIdentified), or null for an unsigned worker.</param>
/// <param name="Flagged">Caught sending fabricated work: it gets no further leases in this run.</param>
public sealed record WorkerMembership(string WorkerId, int Threads, bool Active, string? Address = null, bool Flagged = false);

public sealed record ShardLease(string LeaseId, int ShardId, string WorkerId, DateTimeOffset ExpiresAt, bool Expired);

public readonly record struct SubmissionKey(string LeaseId, string UpdateHash);

public sealed record RoundState
{
    public required int Round { get; init; }
    public required string BaseModelHash { get; init; }
    public required ImmutableArray<ShardPlan> Shards { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public ImmutableDictionary<string, ShardLease> Leases { get; init; } = ImmutableDictionary<string, ShardLease>.Empty;
    public ImmutableSortedDictionary<int, AggregatedUpdate> Accepted { get; init; } = ImmutableSortedDictionary<int, AggregatedUpdate>.Empty;
    /// <summary>The submissions decided in this round, with the train loss each reported.</summary>
    public ImmutableDictionary<SubmissionKey, float> Submissions { get; init; } = ImmutableDictionary<SubmissionKey, float>.Empty;
    public ImmutableDictionary<int, float> TrainLosses { get; init; } = ImmutableDictionary<int, float>.Empty;
    /// <summary>Shard ids in the order their updates were accepted: who sent an update first.</summary>
    public ImmutableList<int> AcceptedOrder { get; init; } = [];
    public int Rejected { get; init; }
    /// <summary>(shard, worker) pairs whose update was rejected: the shard is not leased to that worker again this round.</summary>
    public ImmutableHashSet<(int ShardId, string WorkerId)> RejectedWorkers { get; init; } = [];

    public static RoundState Open(RoundOpened e) => new()
    {
        Round = e.Round, BaseModelHash = e.BaseModelHash, Shards = [.. e.Shards], OpenedAt = e.OpenedAt, Deadline = e.Deadline,
    };

    public ShardPlan? Shard(int shardId) => Shards.FirstOrDefault(s => s.ShardId == shardId);

    /// <summary>The live (not expired) lease on a shard, if any.</summary>
    public ShardLease? ActiveLease(int shardId) => Leases.Values.FirstOrDefault(l => l.ShardId == shardId && !l.Expired);

    /// <summary>Shards with neither an accepted update nor a live lease: ready to hand out.</summary>
    public IEnumerable<ShardPlan> UnassignedShards() =>
        Shards.Where(s => !Accepted.ContainsKey(s.ShardId) && ActiveLease(s.ShardId) is null);

    /// <summary>Whether the worker may be given the shard: it has not had an update for it rejected this round.</summary>
    public bool MayLease(int shardId, string workerId) => !RejectedWorkers.Contains((shardId, workerId));

    public bool AllShardsAccepted => Accepted.Count == Shards.Length;
}
