using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

/// <summary>Commands a run decides on. Values that need I/O or compute (hashes, losses) are worked out by the
/// application before the command is decided; the decision itself stays pure.</summary>
public abstract record RunCommand;

public sealed record LaunchRun(
    string RunId, RunSpec Spec, string ModelDescription, int ParameterCount, string InitialModelHash,
    string TrainSetHash, long TrainTokens, string ValidationSetHash, long ValidationTokens, float InitialValidationLoss) : RunCommand;

/// <param name="Address">The address the worker proved it holds (a valid signed registration), or null for an
/// unsigned one.</param>
public sealed record JoinWorker(string WorkerId, int Threads, string? Address = null) : RunCommand;

/// <summary>The application refused a worker's announcement (its signature failed, or it is stale).</summary>
public sealed record RefuseWorker(string WorkerId, string? Address, string Reason) : RunCommand;

public sealed record LeaveWorker(string WorkerId, string Reason) : RunCommand;

public sealed record OpenRound(int Round, string BaseModelHash, IReadOnlyList<ShardPlan> Shards) : RunCommand;

public sealed record LeaseShard(int ShardId, string WorkerId, string LeaseId) : RunCommand;

public sealed record ExpireLeases : RunCommand;

/// <summary>The lease holder gave the shard back (it could not train it); the shard is free for another worker.</summary>
public sealed record ReleaseLease(string LeaseId, string WorkerId) : RunCommand;

/// <param name="Defect">What the application found wrong with the update's bytes (unreadable, wrong size,
/// non-finite values), or null when they passed its checks.</param>
/// <param name="Signature">What the application found checking the message's signature; null for an unsigned message.</param>
/// <param name="Magnitude">The update's size against the round's base model, as the application measured it; the run
/// rejects it outside the spec's bounds (<see cref="Aggregation.UpdateBounds"/>). Null: not measured.</param>
/// <param name="TokenCeiling">The tokens the task's local steps train on (steps x batch x sequence targets, as the model
/// counts them): the most the claim may weigh, besides the shard's size. Null: no ceiling known.</param>
public sealed record SubmitUpdate(
    int Round, int ShardId, string LeaseId, string WorkerId, string UpdateHash, long Tokens, float TrainLoss, string? Defect,
    SubmissionSignature? Signature = null, SpotCheck? SpotCheck = null, Aggregation.UpdateMagnitude? Magnitude = null,
    long? TokenCeiling = null) : RunCommand;

/// <summary>The coordinator's own training of a sampled shard: what an honest worker would have sent.</summary>
public sealed record SpotCheck(string ExpectedUpdateHash, long ExpectedTokens, double Seconds);

/// <summary>A submission's signature as the application checked it (the cryptography happens there).</summary>
/// <param name="RunId">The run the message names (and the signature covers).</param>
/// <param name="Signer">The address the signature recovers to; null when <paramref name="Defect"/> says why none does.</param>
/// <param name="Defect">A <see cref="RejectionReasons"/> code (bad-signature, high-s-signature), ": " and details; null when valid.</param>
public sealed record SubmissionSignature(
    string RunId, string? Signer, string Signature, string? BaseModelHash, DateTimeOffset Deadline, string? Defect);

/// <param name="Scores">Each aggregated update's contribution score (<see cref="Aggregation.ContributionScoring"/>), one per
/// accepted update; null records none.</param>
public sealed record AggregateRound(int Round, string ModelHash, float ValidationLoss, double ElapsedSeconds,
    IReadOnlyList<Aggregation.ContributionScore>? Scores = null) : RunCommand;

public sealed record FailRun(string Reason) : RunCommand;

/// <summary>A request to launch, stop or fund the run that no consortium admin signed (as the application found).</summary>
public sealed record RefuseAdminRequest(string Action, string? Admin, string Reason) : RunCommand;
