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

    public byte[] Digest(Eip712Domain domain) => Eip712.Digest(domain, TypeName, Types, new Dictionary<string, object?>
    {
        ["workerId"] = WorkerId, ["endpoint"] = Endpoint, ["issuedAt"] = IssuedAt,
    });
}
