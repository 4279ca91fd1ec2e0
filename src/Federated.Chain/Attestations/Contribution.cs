using Federated.Chain.Codecs;
using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>
/// What a worker signs when it submits an update: this run, round, shard and lease, trained from this base model
/// into this update over this many tokens, valid until the deadline (Unix seconds). Hashes are the blob store's
/// SHA-256 hex and are signed as bytes32.
/// <code>Contribution(string runId,uint64 round,uint32 shard,string leaseId,bytes32 baseModelHash,bytes32 updateHash,uint64 tokens,uint64 deadline)</code>
/// </summary>
public sealed record Contribution(
    string RunId, int Round, int ShardId, string LeaseId, string BaseModelHash, string UpdateHash, long Tokens, long Deadline)
{
    public const string TypeName = "Contribution";

    public static IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> Types { get; } = new Dictionary<string, IReadOnlyList<Eip712Field>>
    {
        [TypeName] =
        [
            new("runId", "string"), new("round", "uint64"), new("shard", "uint32"), new("leaseId", "string"),
            new("baseModelHash", "bytes32"), new("updateHash", "bytes32"), new("tokens", "uint64"), new("deadline", "uint64"),
        ],
    };

    /// <exception cref="TypedDataException">A field does not fit its type (a hash that is not 32 bytes of hex, a negative count).</exception>
    public byte[] Digest(Eip712Domain domain)
    {
        var encoded = AttestationHash.NewEncoding(TypeHash, 8);
        AttestationHash.String(encoded, 0, RunId, TypeName, "runId");
        AttestationHash.Uint(encoded, 1, Round, 64, TypeName, "round");
        AttestationHash.Uint(encoded, 2, ShardId, 32, TypeName, "shard");
        AttestationHash.String(encoded, 3, LeaseId, TypeName, "leaseId");
        AttestationHash.Bytes32(encoded, 4, Bytes32(BaseModelHash, "baseModelHash"), TypeName, "baseModelHash");
        AttestationHash.Bytes32(encoded, 5, Bytes32(UpdateHash, "updateHash"), TypeName, "updateHash");
        AttestationHash.Uint(encoded, 6, Tokens, 64, TypeName, "tokens");
        AttestationHash.Uint(encoded, 7, Deadline, 64, TypeName, "deadline");
        return AttestationHash.Digest(domain, encoded);
    }

    /// <summary>The same digest through Nethereum's general EIP-712 encoder (what <see cref="Digest"/> must equal).</summary>
    public byte[] GeneralDigest(Eip712Domain domain) => Eip712.Digest(domain, TypeName, Types, Message());

    private static readonly byte[] TypeHash = AttestationHash.TypeHash(TypeName, Types[TypeName]);

    public IReadOnlyDictionary<string, object?> Message() => new Dictionary<string, object?>
    {
        ["runId"] = RunId,
        ["round"] = Round,
        ["shard"] = ShardId,
        ["leaseId"] = LeaseId,
        ["baseModelHash"] = Bytes32(BaseModelHash, "baseModelHash"),
        ["updateHash"] = Bytes32(UpdateHash, "updateHash"),
        ["tokens"] = Tokens,
        ["deadline"] = Deadline,
    };

    internal static byte[] Bytes32(string hex, string field)
    {
        try
        {
            return Hex.DecodeFixed(hex, 32);
        }
        catch (FormatException e)
        {
            throw new TypedDataException($"{TypeName}.{field} must be a 32-byte hex hash: {e.Message}");
        }
    }
}
