namespace Federated.Domain.Runs;

/// <summary>
/// Everything that happens to a training run. A shipped event type never changes: a new shape is a new
/// type (V2) with its own stable name in <see cref="TypeNames"/>. Hashes are blob addresses (SHA-256 hex).
/// </summary>
public static class RunEvents
{
    public static class V1
    {
        public sealed record RunLaunched(
            string RunId, RunSpec Spec, string ModelDescription, int ParameterCount, string InitialModelHash,
            string TrainSetHash, long TrainTokens, string ValidationSetHash, long ValidationTokens,
            float InitialValidationLoss, DateTimeOffset LaunchedAt);

        public sealed record WorkerJoined(string RunId, string WorkerId, int Threads, DateTimeOffset JoinedAt);

        public sealed record WorkerLeft(string RunId, string WorkerId, string Reason, DateTimeOffset LeftAt);

        public sealed record RoundOpened(
            string RunId, int Round, string BaseModelHash, IReadOnlyList<ShardPlan> Shards,
            DateTimeOffset OpenedAt, DateTimeOffset Deadline);

        /// <param name="Seed">Seeds the worker's batch sampling, so a shard trains to the same bytes anywhere.</param>
        public sealed record ShardPlan(int ShardId, string DataHash, long Tokens, ulong Seed);

        public sealed record ShardLeased(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, DateTimeOffset LeasedAt, DateTimeOffset ExpiresAt);

        public sealed record ShardLeaseExpired(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, DateTimeOffset ExpiredAt);

        public sealed record UpdateSubmitted(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, string UpdateHash,
            long Tokens, float TrainLoss, DateTimeOffset SubmittedAt);

        /// <param name="Weight">The update's weight in aggregation: the tokens it was trained on.</param>
        public sealed record UpdateAccepted(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, string UpdateHash, long Weight, DateTimeOffset AcceptedAt);

        /// <param name="Reason">One of <see cref="RejectionReasons"/>, then ": " and details.</param>
        public sealed record UpdateRejected(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, string UpdateHash, string Reason, DateTimeOffset RejectedAt);

        public sealed record ShardCompleted(string RunId, int Round, int ShardId, string WorkerId, DateTimeOffset CompletedAt);

        /// <param name="AggregatedUpdates">The accepted update hashes in the order they were aggregated.</param>
        public sealed record RoundAggregated(
            string RunId, int Round, string BaseModelHash, string ModelHash, string Aggregator, float OuterLearningRate,
            IReadOnlyList<AggregatedUpdate> AggregatedUpdates, RoundMetrics Metrics, DateTimeOffset AggregatedAt);

        public sealed record AggregatedUpdate(int ShardId, string WorkerId, string UpdateHash, long Weight);

        public sealed record RoundMetrics(float TrainLoss, float ValidationLoss, long Tokens, int Participants, int Rejected, double ElapsedSeconds);

        public sealed record RunCompleted(string RunId, string FinalModelHash, float FinalValidationLoss, DateTimeOffset CompletedAt);

        public sealed record RunFailed(string RunId, string Reason, DateTimeOffset FailedAt);

        /// <summary>The worker proved it holds the key of <paramref name="Address"/> (a signed registration); from now
        /// on only submissions signed by that key count as the worker's.</summary>
        public sealed record WorkerIdentified(string RunId, string WorkerId, string Address, DateTimeOffset IdentifiedAt);

        /// <summary>An announcement under the worker's id was refused (unsigned, badly signed, stale, or signed by a
        /// key other than the one the worker registered with).</summary>
        public sealed record WorkerRegistrationRefused(string RunId, string WorkerId, string? Address, string Reason, DateTimeOffset RefusedAt);

        /// <summary>A submission carried a valid EIP-712 contribution signature by the worker's registered key.</summary>
        /// <param name="Deadline">The deadline the worker signed.</param>
        public sealed record ContributionSigned(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, string Signer, string Signature,
            DateTimeOffset Deadline, DateTimeOffset VerifiedAt);

        /// <summary>The coordinator re-trained a sampled shard and compared: the update bytes (by hash) and the token count.</summary>
        /// <param name="Seconds">What the re-training cost the coordinator.</param>
        public sealed record SpotChecked(
            string RunId, int Round, int ShardId, string LeaseId, string WorkerId, string SubmittedUpdateHash, string ExpectedUpdateHash,
            long SubmittedTokens, long ExpectedTokens, bool Matched, double Seconds, DateTimeOffset CheckedAt);

        /// <summary>How much one aggregated update helped its round, for the reward split: a round's pool goes to its
        /// updates in proportion to <paramref name="Score"/>. Recorded right after the round's RoundAggregated.</summary>
        /// <param name="Cosine">Cosine similarity with the round's aggregate.</param>
        /// <param name="Score">max(0, Cosine) x Tokens; 0 for a copy of an update accepted earlier in the round.</param>
        /// <param name="CopyOfShard">The shard whose identical update came first, when this one is a copy.</param>
        /// <param name="Rule">The scoring rule, so a later rule never reinterprets old scores.</param>
        public sealed record ContributionScored(
            string RunId, int Round, int ShardId, string WorkerId, string UpdateHash, long Tokens, double Cosine, double Score,
            int? CopyOfShard, string Rule, DateTimeOffset ScoredAt);

        /// <summary>A request to stop or fund the run was not signed by a consortium admin.</summary>
        public sealed record AdminRequestRefused(string RunId, string Action, string? Admin, string Reason, DateTimeOffset RefusedAt);

        /// <summary>The worker was caught sending work it did not do; it gets no further leases in this run.</summary>
        public sealed record WorkerFlagged(string RunId, string WorkerId, string Reason, DateTimeOffset FlaggedAt);
    }

    /// <summary>Stable names written to the store. Never rename an entry.</summary>
    public static readonly IReadOnlyDictionary<Type, string> TypeNames = new Dictionary<Type, string>
    {
        [typeof(V1.RunLaunched)] = "RunLaunched.V1",
        [typeof(V1.WorkerJoined)] = "WorkerJoined.V1",
        [typeof(V1.WorkerLeft)] = "WorkerLeft.V1",
        [typeof(V1.RoundOpened)] = "RoundOpened.V1",
        [typeof(V1.ShardLeased)] = "ShardLeased.V1",
        [typeof(V1.ShardLeaseExpired)] = "ShardLeaseExpired.V1",
        [typeof(V1.UpdateSubmitted)] = "UpdateSubmitted.V1",
        [typeof(V1.UpdateAccepted)] = "UpdateAccepted.V1",
        [typeof(V1.UpdateRejected)] = "UpdateRejected.V1",
        [typeof(V1.ShardCompleted)] = "ShardCompleted.V1",
        [typeof(V1.RoundAggregated)] = "RoundAggregated.V1",
        [typeof(V1.RunCompleted)] = "RunCompleted.V1",
        [typeof(V1.RunFailed)] = "RunFailed.V1",
        [typeof(V1.WorkerIdentified)] = "WorkerIdentified.V1",
        [typeof(V1.WorkerRegistrationRefused)] = "WorkerRegistrationRefused.V1",
        [typeof(V1.ContributionSigned)] = "ContributionSigned.V1",
        [typeof(V1.SpotChecked)] = "SpotChecked.V1",
        [typeof(V1.WorkerFlagged)] = "WorkerFlagged.V1",
        [typeof(V1.ContributionScored)] = "ContributionScored.V1",
        [typeof(V1.AdminRequestRefused)] = "AdminRequestRefused.V1",
    };

    public static string StreamOf(string runId) => $"run-{runId}";
}

/// <summary>Why an update was refused; the first word of <see cref="RunEvents.V1.UpdateRejected.Reason"/>.</summary>
public static class RejectionReasons
{
    public const string RunNotRunning = "run-not-running";
    public const string WrongRound = "wrong-round";
    public const string UnknownShard = "unknown-shard";
    public const string UnknownLease = "unknown-lease";
    public const string NotLeaseHolder = "not-lease-holder";
    public const string LeaseExpired = "lease-expired";
    public const string ShardAlreadyCompleted = "shard-already-completed";
    /// <summary>No longer decided (a claim above the shard's size is now capped, not refused); logs written before
    /// that change hold it, and replay must still read them.</summary>
    public const string TokensExceedShard = "tokens-exceed-shard";
    public const string InvalidUpdate = "invalid-update";

    // Authentication: checked before anything else, and never counted against the worker named in the message
    // (anyone can send a message in its name), so they neither end its lease nor lock it out.
    /// <summary>The worker registered an address, but the submission carries no signature.</summary>
    public const string Unsigned = "unsigned";
    /// <summary>The signature is malformed, or recovers to an address other than the one the message claims.</summary>
    public const string BadSignature = "bad-signature";
    /// <summary>The signature's s is in the upper half of the curve order: a malleated copy (EIP-2).</summary>
    public const string HighSSignature = "high-s-signature";
    /// <summary>The signer is not the address the worker registered (or the worker registered none).</summary>
    public const string UnknownSigner = "unknown-signer";
    /// <summary>The lease already had a signed submission decided, or the same signature was already used.</summary>
    public const string ReplayedSubmission = "replayed-submission";
    /// <summary>The signature was made for another run.</summary>
    public const string WrongRun = "wrong-run";
    /// <summary>The deadline the worker signed has passed.</summary>
    public const string SignatureExpired = "signature-expired";

    /// <summary>The coordinator re-trained the shard and got other bytes or another token count.</summary>
    public const string SpotCheckMismatch = "spot-check-mismatch";

    /// <summary>The worker signed that it trained from a model other than the round's base.</summary>
    public const string WrongBaseModel = "wrong-base-model";

    /// <summary>The update breaks the run's absolute update bound (a value or its L2 norm too large; see
    /// <see cref="Aggregation.UpdateBounds"/>).</summary>
    public const string UpdateNormOutOfBounds = "update-norm-out-of-bounds";

    public static readonly IReadOnlySet<string> Authentication = new HashSet<string>(StringComparer.Ordinal)
    {
        Unsigned, BadSignature, HighSSignature, UnknownSigner, ReplayedSubmission, WrongRun, SignatureExpired,
    };

    /// <summary>The reason code of an <see cref="RunEvents.V1.UpdateRejected.Reason"/>: the text before the first ':'.</summary>
    public static string CodeOf(string reason)
    {
        var colon = reason.IndexOf(':');
        return colon < 0 ? reason : reason[..colon];
    }

    public static bool IsAuthentication(string reason) => Authentication.Contains(CodeOf(reason));
}
