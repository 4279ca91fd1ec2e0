using Federated.Domain.Verification;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

/// <summary>Verified work: a sampled shard's update is accepted only if the coordinator's own training of the shard
/// gives the same bytes and token count. A mismatch rejects the update and flags the worker for the rest of the run.</summary>
public static partial class Run
{
    /// <summary>Whether the application must re-train this submission's shard before it is decided: it is authentic,
    /// would otherwise be accepted, and its shard is sampled.</summary>
    public static bool NeedsSpotCheck(SubmitUpdate c, RunState state, DateTimeOffset now) =>
        state.IsRunning && AuthenticationFailure(c, state, now) is null && RejectionFor(c, state, now) is null && IsSampled(c, state);

    private static bool IsSampled(SubmitUpdate c, RunState state) =>
        SpotCheckSelection.IsSampled(state.Spec!.Seed, c.Round, c.ShardId, state.Spec.Verification.SampleRate);

    /// <summary>The comparison for a sampled shard, or null when the shard is not sampled.</summary>
    private static SpotChecked? SpotCheckOf(SubmitUpdate c, RunState state)
    {
        if (!IsSampled(c, state)) return null;
        var check = c.SpotCheck ?? throw new DomainException($"shard {c.ShardId} of round {c.Round} is sampled for a spot check; the submission needs the coordinator's re-training of it");
        var matched = check.ExpectedUpdateHash == c.UpdateHash && check.ExpectedTokens == c.Tokens;
        return new SpotChecked(state.RunId, c.Round, c.ShardId, c.LeaseId, c.WorkerId, c.UpdateHash, check.ExpectedUpdateHash,
            c.Tokens, check.ExpectedTokens, matched, check.Seconds, default);
    }

    private static IReadOnlyList<object> SpotCheckFailed(SubmitUpdate c, RunState state, DateTimeOffset now, UpdateSubmitted submitted, SpotChecked failed)
    {
        var what = failed.SubmittedUpdateHash != failed.ExpectedUpdateHash
            ? $"update {failed.SubmittedUpdateHash} is not the {failed.ExpectedUpdateHash} that training the shard gives"
            : $"claimed {failed.SubmittedTokens} tokens, training the shard processes {failed.ExpectedTokens}";
        var reason = $"{RejectionReasons.SpotCheckMismatch}: {what}";
        return
        [
            .. Decided(c, state, now, submitted, reason).Take(1),
            failed with { CheckedAt = now },
            .. Decided(c, state, now, submitted, reason).Skip(1),
            new WorkerFlagged(state.RunId, c.WorkerId, $"{RejectionReasons.SpotCheckMismatch} on shard {c.ShardId} of round {c.Round}", now),
        ];
    }
}
