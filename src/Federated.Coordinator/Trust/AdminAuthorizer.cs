using System.Collections.Concurrent;
using Federated.Chain;
using Federated.Chain.Attestations;

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

/// <summary>
/// Checks that a request to launch or stop a run (or set a reward pool) is signed by a consortium admin: an EIP-712
/// <see cref="AdminAction"/> over the action, its target and payload, recent (issued within <c>maxAge</c>), never seen
/// before, by a key whose address is in the coordinator's admin list. No admins configured: every request is refused.
/// </summary>
public sealed class AdminAuthorizer(IEnumerable<string> admins, TimeProvider time, TimeSpan maxAge, long? chainId = null)
{
    private readonly HashSet<EthereumAddress> _admins = [.. admins.Select(EthereumAddress.Parse)];
    private readonly ConcurrentDictionary<string, byte> _used = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<EthereumAddress> Admins => _admins;

    /// <summary>The admin's address when authorised, else the refusal ("code: detail").</summary>
    public (string? Admin, string? Refusal) Check(string action, string target, ReadOnlySpan<byte> payload, string? admin, long? issuedAt, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return (null, $"{AdminRefusals.Unsigned}: {action} needs a consortium admin's signature");
        if (issuedAt is not { } issued) return (null, $"{AdminRefusals.BadSignature}: a signed request must state when it was issued");
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issued, 0, 253402300799));
        if (age > maxAge || age < -maxAge)
            return (null, $"{AdminRefusals.SignatureExpired}: request issued at {issued} is {Math.Round(age.TotalSeconds)} s from now, beyond the {maxAge.TotalSeconds} s allowed");
        var digest = AdminAction.For(action, target, payload, issued).Digest(FederatedDomain.For(chainId));
        var verdict = SignatureCheck.Verify(digest, signature, admin);
        switch (verdict.Fault)
        {
            case SignatureFault.HighS: return (null, $"{AdminRefusals.HighSSignature}: {verdict.Detail}");
            case not null: return (null, $"{AdminRefusals.BadSignature}: {verdict.Detail}");
        }
        var signer = verdict.Signer!;
        if (!_admins.Contains(signer))
            return (null, _admins.Count == 0
                ? $"{AdminRefusals.NotAnAdmin}: {signer} signed, but this coordinator has no consortium admins configured"
                : $"{AdminRefusals.NotAnAdmin}: {signer} is not one of the {_admins.Count} consortium admins");
        if (!_used.TryAdd(signature, 0)) return (null, $"{AdminRefusals.Replayed}: this signed {action} request was already used");
        return (signer.ToChecksumString(), null);
    }
}
