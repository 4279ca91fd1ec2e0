using Federated.Chain.Attestations;
using Federated.Chain.TypedData;
using Federated.Contracts;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Trust;

/// <summary>Checks a submission's EIP-712 contribution signature: the cryptography the run's decision then relies on
/// (<see cref="Run.AuthenticationFailure"/> compares the signer with the worker's registered address).</summary>
public static class SubmissionAuthenticator
{
    /// <summary>The signature as checked, or null when the message is unsigned.</summary>
    public static SubmissionSignature? Check(ShardTrained message, long? chainId)
    {
        if (string.IsNullOrEmpty(message.Signature) && message.Signer is null) return null;
        var deadline = message.Deadline is { } seconds && seconds is >= 0 and <= 253402300799 // year 9999
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        SubmissionSignature Refused(string code, string detail) =>
            new(message.RunId, null, message.Signature ?? "", message.BaseModelHash, deadline, $"{code}: {detail}");

        if (message.Deadline is null || message.BaseModelHash is null)
            return Refused(RejectionReasons.BadSignature, "a signed submission must state the base model hash and the deadline it signed");
        if (deadline == DateTimeOffset.MinValue) return Refused(RejectionReasons.BadSignature, $"signed deadline {message.Deadline} is not a Unix time");
        byte[] digest;
        try
        {
            digest = new Contribution(message.RunId, message.Round, message.ShardId, message.LeaseId, message.BaseModelHash,
                message.UpdateHash, message.Tokens, message.Deadline.Value).Digest(FederatedDomain.For(chainId));
        }
        catch (TypedDataException e)
        {
            return Refused(RejectionReasons.BadSignature, $"the signed fields cannot be encoded: {e.Message}");
        }
        var verdict = SignatureCheck.Verify(digest, message.Signature, message.Signer);
        return verdict.Fault switch
        {
            // Canonical, so the run's memory of used signatures (ContributionSigned) holds one spelling of each: a copy
            // with 0x dropped, v as 0/1 or the hex in upper case is the same signature, and is caught as a replay.
            null => new SubmissionSignature(message.RunId, verdict.Signer!.ToChecksumString(), verdict.Canonical!, message.BaseModelHash, deadline, null),
            SignatureFault.HighS => Refused(RejectionReasons.HighSSignature, verdict.Detail!),
            _ => Refused(RejectionReasons.BadSignature, verdict.Detail!),
        };
    }
}
