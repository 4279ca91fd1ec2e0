using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>What a worker signs when it gives a lease back (<see cref="ShardFailed"/>: subject = the lease id) or says
/// goodbye (<see cref="Leaving"/>: subject = the reason), so nobody else can do either in its name.
/// <code>WorkerNotice(string workerId,string kind,string subject,uint64 issuedAt)</code></summary>
public sealed record WorkerNotice(string WorkerId, string Kind, string Subject, long IssuedAt)
{
    public const string TypeName = nameof(WorkerNotice);
    public const string ShardFailed = "shard-failed";
    public const string Leaving = "leaving";

    public static IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> Types { get; } = new Dictionary<string, IReadOnlyList<Eip712Field>>
    {
        [TypeName] = [new("workerId", "string"), new("kind", "string"), new("subject", "string"), new("issuedAt", "uint64")],
    };

    public byte[] Digest(Eip712Domain domain)
    {
        var encoded = AttestationHash.NewEncoding(TypeHash, 4);
        AttestationHash.String(encoded, 0, WorkerId, TypeName, "workerId");
        AttestationHash.String(encoded, 1, Kind, TypeName, "kind");
        AttestationHash.String(encoded, 2, Subject, TypeName, "subject");
        AttestationHash.Uint(encoded, 3, IssuedAt, 64, TypeName, "issuedAt");
        return AttestationHash.Digest(domain, encoded);
    }

    /// <summary>The same digest through Nethereum's general EIP-712 encoder (what <see cref="Digest"/> must equal).</summary>
    public byte[] GeneralDigest(Eip712Domain domain) => Eip712.Digest(domain, TypeName, Types, new Dictionary<string, object?>
    {
        ["workerId"] = WorkerId, ["kind"] = Kind, ["subject"] = Subject, ["issuedAt"] = IssuedAt,
    });

    private static readonly byte[] TypeHash = AttestationHash.TypeHash(TypeName, Types[TypeName]);
}
