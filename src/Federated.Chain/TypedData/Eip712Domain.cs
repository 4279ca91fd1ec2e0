using System.Numerics;

namespace Federated.Chain.TypedData;

/// <summary>The EIP-712 domain. Only the fields that are set take part, in the order the EIP fixes:
/// name, version, chainId, verifyingContract, salt.</summary>
public sealed record Eip712Domain
{
    public const string TypeName = "EIP712Domain";

    public string? Name { get; init; }
    public string? Version { get; init; }
    public BigInteger? ChainId { get; init; }
    public EthereumAddress? VerifyingContract { get; init; }
    public byte[]? Salt { get; init; }

    public IReadOnlyList<Eip712Field> Fields()
    {
        var fields = new List<Eip712Field>();
        if (Name is not null) fields.Add(new("name", "string"));
        if (Version is not null) fields.Add(new("version", "string"));
        if (ChainId is not null) fields.Add(new("chainId", "uint256"));
        if (VerifyingContract is not null) fields.Add(new("verifyingContract", "address"));
        if (Salt is not null) fields.Add(new("salt", "bytes32"));
        return fields;
    }

    public IReadOnlyDictionary<string, object?> Values()
    {
        var all = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["version"] = Version,
            ["chainId"] = ChainId,
            ["verifyingContract"] = VerifyingContract,
            ["salt"] = Salt,
        };
        return all.Where(pair => pair.Value is not null).ToDictionary();
    }

    /// <summary>hashStruct(EIP712Domain): binds a signature to one application, version, chain and contract.</summary>
    public byte[] Separator() => Eip712.Separator(this);
}
