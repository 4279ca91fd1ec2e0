using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Nethereum.ABI.EIP712;

namespace Federated.Chain.TypedData;

/// <summary>EIP-712 typed structured data hashing on Nethereum's <see cref="Eip712TypedDataEncoder"/> (encodeType, typeHash,
/// hashStruct, the domain separator). Types are a map from struct name to its fields; struct values are maps from
/// field name to value (see <see cref="Eip712Values"/> for the accepted forms). What is ours is the checking that
/// comes first: every field present and declared, every value fitting its type, with an error naming the field.</summary>
public static class Eip712
{
    /// <summary>keccak(0x19 0x01 || domainSeparator || hashStruct(message)): the hash that gets signed.</summary>
    public static byte[] Digest(
        Eip712Domain domain,
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types,
        IReadOnlyDictionary<string, object?> message) =>
        Keccak256.Hash(Eip712TypedDataEncoder.Current.EncodeTypedDataRaw(Raw(domain, primaryType, types, message)));

    public static EcdsaSignature Sign(
        Eip712Domain domain,
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types,
        IReadOnlyDictionary<string, object?> message,
        ReadOnlySpan<byte> privateKey) =>
        Secp256k1.Sign(Digest(domain, primaryType, types, message), privateKey);

    /// <summary>hashStruct(s) = keccak(typeHash || encodeData(s)).</summary>
    public static byte[] HashStruct(
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types,
        IReadOnlyDictionary<string, object?> value) =>
        // hashStruct of the message does not depend on the domain; any domain will do.
        Eip712TypedDataEncoder.Current.CalculateTypedDataHashes(Raw(AnyDomain, primaryType, types, value)).MessageHash;

    private static readonly Eip712Domain AnyDomain = new() { Name = "" };

    /// <summary>hashStruct(EIP712Domain) of <paramref name="domain"/>.</summary>
    internal static byte[] Separator(Eip712Domain domain) =>
        Eip712TypedDataEncoder.Current.HashDomainSeparator(new TypedDataRaw
        {
            Types = new Dictionary<string, MemberDescription[]> { [Eip712Domain.TypeName] = Descriptions(domain.Fields()) },
            PrimaryType = Eip712Domain.TypeName,
            DomainRawValues = Eip712Values.Members(Eip712Domain.TypeName, DomainTypes(domain), domain.Values(), Eip712Domain.TypeName),
        });

    private static TypedDataRaw Raw(
        Eip712Domain domain,
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types,
        IReadOnlyDictionary<string, object?> message)
    {
        var all = types.ToDictionary(pair => pair.Key, pair => Descriptions(pair.Value));
        all[Eip712Domain.TypeName] = Descriptions(domain.Fields());
        return new TypedDataRaw
        {
            Types = all,
            PrimaryType = primaryType,
            Message = Eip712Values.Members(primaryType, types, message, primaryType),
            DomainRawValues = Eip712Values.Members(Eip712Domain.TypeName, DomainTypes(domain), domain.Values(), Eip712Domain.TypeName),
        };
    }

    private static Dictionary<string, IReadOnlyList<Eip712Field>> DomainTypes(Eip712Domain domain) =>
        new() { [Eip712Domain.TypeName] = domain.Fields() };

    private static MemberDescription[] Descriptions(IReadOnlyList<Eip712Field> fields) =>
        fields.Select(field => new MemberDescription { Name = field.Name, Type = field.Type }).ToArray();
}
