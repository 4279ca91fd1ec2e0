using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Runs;

/// <summary>Who a worker is, and whether a submission is really its: the identity half of the run's decisions.
/// The signatures are checked by the application; these decisions compare what it found with what the run
/// recorded (the address each worker registered, the leases and signatures already used).</summary>
public static partial class Run
{
    private static IReadOnlyList<object> Join(JoinWorker c, RunState state, DateTimeOffset now)
    {
        RequireRunning(state);
        if (string.IsNullOrWhiteSpace(c.WorkerId)) throw new DomainException("worker id must not be empty");
        var known = state.Workers.GetValueOrDefault(c.WorkerId);
        if (known?.Address is { } registered && !string.Equals(registered, c.Address, StringComparison.OrdinalIgnoreCase))
        {
            var reason = c.Address is null
                ? $"{RejectionReasons.Unsigned}: worker {c.WorkerId} registered as {registered}; an unsigned announcement cannot join it"
                : $"{RejectionReasons.UnknownSigner}: worker {c.WorkerId} registered as {registered}, the announcement is signed by {c.Address}";
            return [new WorkerRegistrationRefused(state.RunId, c.WorkerId, c.Address, reason, now)];
        }
        if (known is { Flagged: true }) return []; // caught fabricating work: it stays out of this run
        var events = new List<object>();
        // Re-registration of an active worker is a duplicate message, not a new fact.
        if (known is not { Active: true }) events.Add(new WorkerJoined(state.RunId, c.WorkerId, Math.Max(1, c.Threads), now));
        if (known?.Address is null && c.Address is not null) events.Add(new WorkerIdentified(state.RunId, c.WorkerId, c.Address, now));
        return events;
    }

    /// <summary>Why the submission cannot be taken as the named worker's, or null. Public so the application can skip
    /// costly checks (reading the update, re-training it) for a message that will be refused anyway.</summary>
    public static string? AuthenticationFailure(SubmitUpdate c, RunState state, DateTimeOffset now)
    {
        var registered = state.Workers.GetValueOrDefault(c.WorkerId)?.Address;
        if (c.Signature is not { } signature)
            return registered is null ? null : $"{RejectionReasons.Unsigned}: worker {c.WorkerId} registered as {registered}; its submissions must be signed";
        if (signature.Defect is { } defect) return defect;
        if (registered is null)
            return $"{RejectionReasons.UnknownSigner}: signed by {signature.Signer}, but worker {c.WorkerId} registered no address";
        if (!string.Equals(signature.Signer, registered, StringComparison.OrdinalIgnoreCase))
            return $"{RejectionReasons.UnknownSigner}: signed by {signature.Signer}, worker {c.WorkerId} registered as {registered}";
        if (state.SeenSignatures.Contains(signature.Signature))
            return $"{RejectionReasons.ReplayedSubmission}: signature {Shorten(signature.Signature)} was already used";
        if (state.SignedLeases.Contains(c.LeaseId))
            return $"{RejectionReasons.ReplayedSubmission}: lease {c.LeaseId} already had a signed submission decided";
        if (signature.RunId != state.RunId) return $"{RejectionReasons.WrongRun}: signed for run {signature.RunId}, this is run {state.RunId}";
        if (signature.Deadline < now) return $"{RejectionReasons.SignatureExpired}: signed deadline {signature.Deadline:O} has passed";
        return null;
    }

    private static IReadOnlyList<object> WithSigned(ContributionSigned? signed, IReadOnlyList<object> decided) =>
        signed is null ? decided : [decided[0], signed, .. decided.Skip(1)];

    private static string Shorten(string text) => text.Length <= 18 ? text : text[..18] + "...";
}
