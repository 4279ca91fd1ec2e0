using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>What a worker signs when it announces itself: its id, where to send it work, and when (Unix seconds),
/// so that an old announcement cannot be replayed for long.
/// <code>WorkerRegistration(string workerId,string endpoint,uint64 issuedAt)</code></summary>
public sealed record WorkerRegistration(string WorkerId, string Endpoint, long IssuedAt)
{
    public const string TypeName = "WorkerRegistration";

    public static IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> Types { get; } = new Dictionary<string, IReadOnlyList<Eip712Field>>
    {
        [TypeName] = [new("workerId", "string"), new("endpoint", "string"), new("issuedAt", "uint64")],
    };

    public byte[] Digest(Eip712Domain domain)
    {
        var encoded = AttestationHash.NewEncoding(TypeHash, 3);
        AttestationHash.String(encoded, 0, WorkerId, TypeName, "workerId");
        AttestationHash.String(encoded, 1, Endpoint, TypeName, "endpoint");
        AttestationHash.Uint(encoded, 2, IssuedAt, 64, TypeName, "issuedAt");
        return AttestationHash.Digest(domain, encoded);
    }

    /// <summary>The same digest through Nethereum's general EIP-712 encoder (what <see cref="Digest"/> must equal).</summary>
    public byte[] GeneralDigest(Eip712Domain domain) => Eip712.Digest(domain, TypeName, Types, new Dictionary<string, object?>
    {
        ["workerId"] = WorkerId, ["endpoint"] = Endpoint, ["issuedAt"] = IssuedAt,
    });

    private static readonly byte[] TypeHash = AttestationHash.TypeHash(TypeName, Types[TypeName]);
}
