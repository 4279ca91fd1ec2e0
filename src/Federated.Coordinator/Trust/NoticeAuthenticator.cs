using Federated.Chain;
using Federated.Chain.Attestations;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Trust;

/// <summary>Checks a worker's signed notice (a lease given back, a goodbye) against the address it registered.</summary>
public static class NoticeAuthenticator
{
    /// <summary>Why the notice is not the worker's, or null. A worker that registered no address sends unsigned notices.</summary>
    public static string? Refusal(string? registered, WorkerNotice notice, string? signature, DateTimeOffset now, TimeSpan maxAge)
    {
        if (registered is null) return null;
        var what = $"{notice.Kind} notice for worker {notice.WorkerId}";
        if (string.IsNullOrEmpty(signature)) return $"{RejectionReasons.Unsigned}: {what} is unsigned; the worker registered as {registered}";
        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(notice.IssuedAt, 0, 253402300799));
        if (age > maxAge || age < -maxAge) return $"{RejectionReasons.SignatureExpired}: {what} was issued {Math.Round(age.TotalSeconds)} s from now";
        var verdict = SignatureCheck.Verify(notice.Digest(FederatedDomain.For()), signature);
        if (verdict.Fault is not null) return $"{RejectionReasons.BadSignature}: {what}: {verdict.Detail}";
        return verdict.Signer == EthereumAddress.Parse(registered)
            ? null
            : $"{RejectionReasons.UnknownSigner}: {what} is signed by {verdict.Signer}, the worker registered as {registered}";
    }
}
