using Federated.Chain.Attestations;
using Federated.Contracts;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Trust;

/// <summary>A worker announcement as checked: the address it proved it holds, or why it is refused.</summary>
public sealed record RegistrationVerdict(string? Address, string? Refusal);

/// <summary>Checks a <see cref="WorkerAvailable"/>'s EIP-712 registration signature and its age.</summary>
public static class RegistrationAuthenticator
{
    public static RegistrationVerdict Check(WorkerAvailable message, DateTimeOffset now, TimeSpan maxAge, bool requireSigned)
    {
        if (string.IsNullOrEmpty(message.Signature) && message.Address is null)
            return requireSigned
                ? new(null, $"{RejectionReasons.Unsigned}: worker {message.WorkerId} announced itself without a signed registration, which this coordinator requires")
                : new(null, null);
        if (message.IssuedAt is not { } issuedAt)
            return new(null, $"{RejectionReasons.BadSignature}: a signed registration must state when it was issued");
        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issuedAt, 0, 253402300799));
        if (age > maxAge || age < -maxAge)
            return new(null, $"{RejectionReasons.SignatureExpired}: registration issued at {issuedAt} is {Math.Round(age.TotalSeconds)} s from now, beyond the {maxAge.TotalSeconds} s allowed");
        var digest = new WorkerRegistration(message.WorkerId, message.Endpoint, issuedAt).Digest(FederatedDomain.For());
        var verdict = SignatureCheck.Verify(digest, message.Signature, message.Address);
        return verdict.Fault switch
        {
            null => new(verdict.Signer!.ToChecksumString(), null),
            SignatureFault.HighS => new(null, $"{RejectionReasons.HighSSignature}: {verdict.Detail}"),
            _ => new(null, $"{RejectionReasons.BadSignature}: {verdict.Detail}"),
        };
    }
}
