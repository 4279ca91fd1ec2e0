using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>
/// What a consortium admin signs to launch or stop a run or set a reward pool: the action, what it applies to (a
/// request or run id), the keccak256 of its payload (the spec JSON, the reason, the amount), and when (Unix seconds).
/// <code>AdminAction(string action,string target,bytes32 payloadHash,uint64 issuedAt)</code>
/// </summary>
public sealed record AdminAction(string Action, string Target, byte[] PayloadHash, long IssuedAt)
{
    public const string TypeName = nameof(AdminAction);
    public const string LaunchRun = "launch-run";
    public const string StopRun = "stop-run";
    public const string SetRewardPool = "set-reward-pool";

    public static IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> Types { get; } = new Dictionary<string, IReadOnlyList<Eip712Field>>
    {
        [TypeName] = [new("action", "string"), new("target", "string"), new("payloadHash", "bytes32"), new("issuedAt", "uint64")],
    };

    public static AdminAction For(string action, string target, ReadOnlySpan<byte> payload, long issuedAt) =>
        new(action, target, Keccak256.Hash(payload), issuedAt);

    public byte[] Digest(Eip712Domain domain)
    {
        var encoded = AttestationHash.NewEncoding(TypeHash, 4);
        AttestationHash.String(encoded, 0, Action, TypeName, "action");
        AttestationHash.String(encoded, 1, Target, TypeName, "target");
        AttestationHash.Bytes32(encoded, 2, PayloadHash ?? throw new TypedDataException($"{TypeName}.payloadHash is missing."), TypeName, "payloadHash");
        AttestationHash.Uint(encoded, 3, IssuedAt, 64, TypeName, "issuedAt");
        return AttestationHash.Digest(domain, encoded);
    }

    /// <summary>The same digest through Nethereum's general EIP-712 encoder (what <see cref="Digest"/> must equal).</summary>
    public byte[] GeneralDigest(Eip712Domain domain) => Eip712.Digest(domain, TypeName, Types, new Dictionary<string, object?>
    {
        ["action"] = Action, ["target"] = Target, ["payloadHash"] = PayloadHash, ["issuedAt"] = IssuedAt,
    });

    private static readonly byte[] TypeHash = AttestationHash.TypeHash(TypeName, Types[TypeName]);

    /// <summary>r || s || v hex, under the Federated domain of <paramref name="chainId"/>.</summary>
    public string Sign(ReadOnlySpan<byte> adminKey, long? chainId = null) => Secp256k1.Sign(Digest(FederatedDomain.For(chainId)), adminKey).ToHex();
}
