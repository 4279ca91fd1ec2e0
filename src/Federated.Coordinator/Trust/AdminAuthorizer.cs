using Federated.Chain;
using Federated.Chain.Attestations;
using Federated.Chain.Codecs;

namespace Federated.Coordinator.Trust;

/// <summary>Why an admin request was refused; the first word of the refusal.</summary>
public static class AdminRefusals
{
    public const string Unsigned = "unsigned";
    public const string BadSignature = "bad-signature";
    public const string HighSSignature = "high-s-signature";
    public const string NotAnAdmin = "not-an-admin";
    public const string SignatureExpired = "signature-expired";
    public const string Replayed = "replayed-request";
}

/// <summary>An admin request as checked: the admin and what exactly they signed, or why it is refused.</summary>
/// <param name="Admin">The signer's checksummed address when authorised.</param>
/// <param name="Refusal">"code: detail" (<see cref="AdminRefusals"/>) when refused.</param>
/// <param name="Digest">The EIP-712 digest of the signed <see cref="AdminAction"/> (0x hex): what the admin agreed to,
/// whatever encoding the signature travelled in; replay protection is keyed by it (<see cref="AdminActionLog"/>).</param>
/// <param name="Signature">The signature in its canonical spelling (<see cref="SignatureVerdict.Canonical"/>).</param>
public sealed record AdminVerdict(string? Admin, string? Refusal, string? Digest = null, string? Signature = null)
{
    public static AdminVerdict Refused(string refusal) => new(null, refusal);
}

/// <summary>
/// Checks that a request to launch or stop a run (or set a reward pool) is signed by a consortium admin: an EIP-712
/// <see cref="AdminAction"/> over the action, its target and payload, recent (issued within <c>maxAge</c>), by a key
/// whose address is in the coordinator's admin list. No admins configured: every request is refused. Whether the
/// request was used before is not decided here, from memory, but by <see cref="AdminActionLog"/>, in the event log.
/// </summary>
public sealed class AdminAuthorizer(IEnumerable<string> admins, TimeProvider time, TimeSpan maxAge, long? chainId = null)
{
    private readonly HashSet<EthereumAddress> _admins = [.. admins.Select(EthereumAddress.Parse)];

    public IReadOnlyCollection<EthereumAddress> Admins => _admins;

    public AdminVerdict Check(string action, string target, ReadOnlySpan<byte> payload, string? admin, long? issuedAt, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return AdminVerdict.Refused($"{AdminRefusals.Unsigned}: {action} needs a consortium admin's signature");
        if (issuedAt is not { } issued) return AdminVerdict.Refused($"{AdminRefusals.BadSignature}: a signed request must state when it was issued");
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issued, 0, 253402300799));
        if (age > maxAge || age < -maxAge)
            return AdminVerdict.Refused($"{AdminRefusals.SignatureExpired}: request issued at {issued} is {Math.Round(age.TotalSeconds)} s from now, beyond the {maxAge.TotalSeconds} s allowed");
        var digest = AdminAction.For(action, target, payload, issued).Digest(FederatedDomain.For(chainId));
        var verdict = SignatureCheck.Verify(digest, signature, admin);
        switch (verdict.Fault)
        {
            case SignatureFault.HighS: return AdminVerdict.Refused($"{AdminRefusals.HighSSignature}: {verdict.Detail}");
            case not null: return AdminVerdict.Refused($"{AdminRefusals.BadSignature}: {verdict.Detail}");
        }
        var signer = verdict.Signer!;
        if (!_admins.Contains(signer))
            return AdminVerdict.Refused(_admins.Count == 0
                ? $"{AdminRefusals.NotAnAdmin}: {signer} signed, but this coordinator has no consortium admins configured"
                : $"{AdminRefusals.NotAnAdmin}: {signer} is not one of the {_admins.Count} consortium admins");
        return new AdminVerdict(signer.ToChecksumString(), null, Hex.Encode(digest), verdict.Canonical);
    }
}
