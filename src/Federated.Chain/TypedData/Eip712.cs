using System.Collections;
using System.Text;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.TypedData;

/// <summary>EIP-712 typed structured data hashing. Types are a map from struct name to its fields;
/// struct values are maps from field name to value (see <see cref="Eip712Values"/> for the accepted forms).</summary>
public static class Eip712
{
    /// <summary>keccak(0x19 0x01 || domainSeparator || hashStruct(message)): the hash that gets signed.</summary>
    public static byte[] Digest(
        Eip712Domain domain,
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types,
        IReadOnlyDictionary<string, object?> message) =>
        Keccak256.HashConcat([0x19, 0x01], domain.Separator(), HashStruct(primaryType, types, message));

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
        IReadOnlyDictionary<string, object?> value)
    {
        var fields = Fields(primaryType, types);
        var parts = new List<byte[]>(fields.Count + 1) { TypeHash(primaryType, types) };
        foreach (var field in fields)
        {
            if (!value.TryGetValue(field.Name, out var member))
                throw new TypedDataException($"{primaryType} value has no field \"{field.Name}\".");
            parts.Add(EncodeMember(field.Type, member, types, $"{primaryType}.{field.Name}"));
        }
        var extra = value.Keys.Except(fields.Select(f => f.Name)).FirstOrDefault();
        if (extra is not null)
            throw new TypedDataException($"{primaryType} value has a field \"{extra}\" that its type does not declare.");
        return Keccak256.HashConcat([.. parts]);
    }

    public static byte[] TypeHash(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types) =>
        Keccak256.HashUtf8(EncodeType(primaryType, types));

    /// <summary>"Name(type1 name1,...)" for the primary type, followed by every struct it references
    /// (directly or not), sorted by name.</summary>
    public static string EncodeType(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types)
    {
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, types, dependencies);
        dependencies.Remove(primaryType);
        var text = new StringBuilder();
        foreach (var name in dependencies.Prepend(primaryType))
        {
            text.Append(name).Append('(');
            text.AppendJoin(',', Fields(name, types).Select(f => $"{f.Type} {f.Name}"));
            text.Append(')');
        }
        return text.ToString();
    }

    private static byte[] EncodeMember(
        string type, object? value, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types, string path)
    {
        if (ArrayElementType(type) is { } elementType)
        {
            if (value is string or byte[] || value is not IEnumerable elements)
                throw new TypedDataException($"{path} is {type} and needs a list of values.");
            var items = elements.Cast<object?>().ToArray();
            if (FixedArrayLength(type) is { } length && items.Length != length)
                throw new TypedDataException($"{path} is {type} and needs {length} element(s), got {items.Length}.");
            return Keccak256.HashConcat([.. items.Select((item, i) => EncodeMember(elementType, item, types, $"{path}[{i}]"))]);
        }
        if (types.ContainsKey(type))
        {
            if (value is not IReadOnlyDictionary<string, object?> members)
                throw new TypedDataException($"{path} is a {type} struct and needs a map of field values.");
            return HashStruct(type, types, members);
        }
        return Eip712Values.EncodeAtomic(type, value, path);
    }

    private static void CollectDependencies(
        string type, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types, SortedSet<string> found)
    {
        var baseType = BaseType(type);
        if (!types.ContainsKey(baseType) || !found.Add(baseType))
            return;
        foreach (var field in types[baseType])
            CollectDependencies(field.Type, types, found);
    }

    private static IReadOnlyList<Eip712Field> Fields(string type, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types) =>
        types.TryGetValue(type, out var fields) ? fields : throw new TypedDataException($"Struct type \"{type}\" is not defined.");

    private static string BaseType(string type)
    {
        var bracket = type.IndexOf('[');
        return bracket < 0 ? type : type[..bracket];
    }

    private static string? ArrayElementType(string type) =>
        type.EndsWith(']') && type.LastIndexOf('[') is var open and > 0 ? type[..open] : null;

    private static int? FixedArrayLength(string type)
    {
        var digits = type[(type.LastIndexOf('[') + 1)..^1];
        if (digits.Length == 0)
            return null;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new TypedDataException($"Array type \"{type}\" has an invalid length.");
    }
}
