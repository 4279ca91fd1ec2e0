using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Tests.Specification;

/// <summary>
/// Commands and events of one small run, built the way <see cref="Run.Decide"/> builds them, so a test's
/// history reads as the story it tells. Times are seconds after <see cref="T0"/>.
/// </summary>
public static class RunHistory
{
    public const string RunId = "run-1";
    public const string InitialModel = "model-0";
    public const long ShardTokens = 1_000;

    public static readonly DateTimeOffset T0 = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Two rounds of two shards; rounds time out after 600 s, leases after 300 s; every shard is needed.</summary>
    public static readonly RunSpec Spec = new()
    {
        Name = "spec-test", Rounds = 2, ShardsPerRound = 2, ShardTokens = (int)ShardTokens,
        RoundTimeoutSeconds = 600, LeaseSeconds = 300, Quorum = 1.0,
    };

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static LaunchRun Launch(RunSpec? spec = null) =>
        new(RunId, spec ?? Spec, "gpt tiny", 1_234, InitialModel, "train-set", 100_000, "validation-set", 10_000, 5.5f);

    public static RunLaunched Launched(RunSpec? spec = null) =>
        new(RunId, spec ?? Spec, "gpt tiny", 1_234, InitialModel, "train-set", 100_000, "validation-set", 10_000, 5.5f, T0);

    public static WorkerJoined Joined(string workerId, int threads = 1) => new(RunId, workerId, threads, T0);

    public static WorkerLeft Left(string workerId, double at = 0, string reason = "shutting down") => new(RunId, workerId, reason, At(at));

    /// <summary>How the run records a worker that let a lease run out.</summary>
    public static WorkerLeft MissedDeadline(string workerId, double at) => Left(workerId, at, "missed a lease deadline");

    public static ShardPlan Shard(int shardId) => new(shardId, $"data-{shardId}", ShardTokens, 100UL + (ulong)shardId);

    public static RoundOpened Opened(int round, string baseModel, double at, params int[] shardIds) =>
        new(RunId, round, baseModel, [.. shardIds.Select(Shard)], At(at), At(at + Spec.RoundTimeoutSeconds));

    public static ShardLeased Leased(int round, int shardId, string workerId, string leaseId, double at = 0) =>
        new(RunId, round, shardId, leaseId, workerId, At(at), At(at + Spec.LeaseSeconds));

    public static ShardLeaseExpired LeaseExpired(int round, int shardId, string workerId, string leaseId, double at) =>
        new(RunId, round, shardId, leaseId, workerId, At(at));

    public static SubmitUpdate Submit(int round, int shardId, string leaseId, string workerId, string updateHash,
        long tokens = ShardTokens, float trainLoss = 3f, string? defect = null) =>
        new(round, shardId, leaseId, workerId, updateHash, tokens, trainLoss, defect);

    /// <summary>The three events of an accepted submission.</summary>
    public static object[] AcceptedUpdate(int round, int shardId, string workerId, string leaseId, string updateHash,
        long tokens = ShardTokens, float trainLoss = 3f, double at = 0) =>
    [
        new UpdateSubmitted(RunId, round, shardId, leaseId, workerId, updateHash, tokens, trainLoss, At(at)),
        new UpdateAccepted(RunId, round, shardId, leaseId, workerId, updateHash, tokens, At(at)),
        new ShardCompleted(RunId, round, shardId, workerId, At(at)),
    ];

    /// <summary>The events of a refused submission; a refusal of the live lease's holder also ends that lease.</summary>
    public static object[] RejectedUpdate(int round, int shardId, string workerId, string leaseId, string updateHash, string reason,
        long tokens = ShardTokens, float trainLoss = 3f, double at = 0, bool endsLease = false) =>
    [
        new UpdateSubmitted(RunId, round, shardId, leaseId, workerId, updateHash, tokens, trainLoss, At(at)),
        new UpdateRejected(RunId, round, shardId, leaseId, workerId, updateHash, reason, At(at)),
        .. endsLease ? new object[] { LeaseExpired(round, shardId, workerId, leaseId, at) } : [],
    ];

    /// <summary>Launched, workers w1 and w2 joined, round 1 open on shards 1 and 2 since <see cref="T0"/>.</summary>
    public static object[] RoundOneOpen() => [Launched(), Joined("w1"), Joined("w2"), Opened(1, InitialModel, 0, 1, 2)];

    /// <summary><see cref="RoundOneOpen"/>, then w1 leased shard 1 (lease-1) and w2 shard 2 (lease-2) at <see cref="T0"/>.</summary>
    public static object[] RoundOneLeased() =>
        [.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), Leased(1, 2, "w2", "lease-2")];

    /// <summary><see cref="RoundOneLeased"/>, then both shards accepted at 60 s (w1: loss 2, w2: loss 4).</summary>
    public static object[] RoundOneFullyAccepted() =>
    [
        .. RoundOneLeased(),
        .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", trainLoss: 2f, at: 60),
        .. AcceptedUpdate(1, 2, "w2", "lease-2", "update-2", trainLoss: 4f, at: 60),
    ];

    public static RoundAggregated Aggregated(int round, string baseModel, string modelHash, double at, params AggregatedUpdate[] updates) =>
        new(RunId, round, baseModel, modelHash, Spec.Aggregator, Spec.OuterLearningRate, updates,
            new RoundMetrics(3f, 2.5f, updates.Sum(u => u.Weight), updates.Select(u => u.WorkerId).Distinct().Count(), 0, 10), At(at));

    /// <summary><see cref="RoundOneFullyAccepted"/>, then round 1 aggregated into "model-1" at 120 s.</summary>
    public static object[] RoundOneAggregated() =>
    [
        .. RoundOneFullyAccepted(),
        Aggregated(1, InitialModel, "model-1", 120,
            new AggregatedUpdate(1, "w1", "update-1", ShardTokens), new AggregatedUpdate(2, "w2", "update-2", ShardTokens)),
    ];
}
