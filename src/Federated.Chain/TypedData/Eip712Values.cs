using System.Collections;
using System.Globalization;
using System.Numerics;
using Federated.Chain.Codecs;
using Nethereum.ABI.EIP712;

namespace Federated.Chain.TypedData;

/// <summary>Checks EIP-712 member values against their types and hands them to Nethereum's encoder in the forms it
/// takes. Accepted values: BigInteger or any CLR integer, or decimal / 0x-hex text for uintN and intN;
/// <see cref="EthereumAddress"/> or its text for address; bool; byte[] or 0x-hex text for bytesN and bytes; string for
/// string. Text forms exist so JSON typed data works. Every refusal is a <see cref="TypedDataException"/> naming the field.</summary>
public static class Eip712Values
{
    /// <summary>A struct value as the library's member list, in the order its type declares the fields.</summary>
    internal static MemberValue[] Members(
        string type, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types, IReadOnlyDictionary<string, object?> value, string path)
    {
        var fields = types.TryGetValue(type, out var declared) ? declared : throw new TypedDataException($"Struct type \"{type}\" is not defined.");
        var members = new MemberValue[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (!value.TryGetValue(field.Name, out var member))
                throw new TypedDataException($"{type} value has no field \"{field.Name}\".");
            members[i] = new MemberValue { TypeName = field.Type, Value = Member(field.Type, member, types, $"{path}.{field.Name}") };
        }
        var extra = value.Keys.Except(fields.Select(f => f.Name)).FirstOrDefault();
        if (extra is not null)
            throw new TypedDataException($"{type} value has a field \"{extra}\" that its type does not declare.");
        return members;
    }

    private static object Member(string type, object? value, IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types, string path)
    {
        if (type.EndsWith(']') && type.LastIndexOf('[') is var open and > 0)
        {
            var elementType = type[..open];
            if (value is string or byte[] || value is not IEnumerable elements)
                throw new TypedDataException($"{path} is {type} and needs a list of values.");
            var items = elements.Cast<object?>().ToArray();
            var digits = type[(open + 1)..^1];
            if (digits.Length > 0)
            {
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                    throw new TypedDataException($"Array type \"{type}\" has an invalid length.");
                if (items.Length != length)
                    throw new TypedDataException($"{path} is {type} and needs {length} element(s), got {items.Length}.");
            }
            return items.Select((item, i) => Member(elementType, item, types, $"{path}[{i}]")).ToList();
        }
        if (types.ContainsKey(type))
        {
            if (value is not IReadOnlyDictionary<string, object?> members)
                throw new TypedDataException($"{path} is a {type} struct and needs a map of field values.");
            return Members(type, types, members, path);
        }
        try
        {
            return Atomic(type, value, path);
        }
        catch (FormatException e) when (e is not TypedDataException)
        {
            throw new TypedDataException($"{path} ({type}): {e.Message}");
        }
    }

    private static object Atomic(string type, object? value, string path)
    {
        switch (type)
        {
            case "string": return value as string ?? throw Wrong(path, type, value);
            case "bytes": return AsBytes(value) ?? throw Wrong(path, type, value);
            case "bool": return value as bool? ?? throw Wrong(path, type, value);
            case "address":
                return value switch
                {
                    EthereumAddress address => Hex.Encode(address.Bytes),
                    string text => Hex.Encode(EthereumAddress.Parse(text).Bytes),
                    _ => throw Wrong(path, type, value),
                };
        }
        if (Size(type, "bytes") is { } size)
        {
            if (size is < 1 or > 32) throw Unknown(path, type);
            var bytes = AsBytes(value) ?? throw Wrong(path, type, value);
            return bytes.Length == size ? bytes : throw new TypedDataException($"{path} ({type}): {type} expects exactly {size} bytes, got {bytes.Length}.");
        }
        var signed = type.StartsWith("int", StringComparison.Ordinal);
        if ((signed ? Size(type, "int") : Size(type, "uint")) is not { } bits || bits is < 8 or > 256 || bits % 8 != 0)
            throw Unknown(path, type);
        var number = AsInteger(value) ?? throw Wrong(path, type, value);
        var (min, max) = signed ? (-(BigInteger.One << (bits - 1)), (BigInteger.One << (bits - 1)) - 1) : (BigInteger.Zero, (BigInteger.One << bits) - 1);
        if (number < min || number > max)
            throw new TypedDataException($"{path} ({type}): {type} cannot hold {number}: the range is {min} to {max}.");
        return number;
    }

    /// <summary>N of a type named prefix + N ("uint64" → 64), with the bare name meaning 256 for integers.</summary>
    private static int? Size(string type, string prefix)
    {
        if (!type.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var digits = type[prefix.Length..];
        if (digits.Length == 0) return prefix == "bytes" ? null : 256;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static BigInteger? AsInteger(object? value) => value is string text ? ParseInteger(text) : Abi.AbiValues.AsInteger(value);

    /// <summary>Decimal (optionally negative) or 0x-prefixed hex text, as JSON typed data writes integers.</summary>
    internal static BigInteger ParseInteger(string text)
    {
        if (Hex.HasPrefix(text))
            return new BigInteger(Hex.Decode(text.Length % 2 == 0 ? text : "0x0" + text[2..]), isUnsigned: true, isBigEndian: true);
        return BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"\"{text}\" is neither a decimal nor a 0x-hex integer.");
    }

    private static byte[]? AsBytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        string text => Hex.Decode(text),
        _ => null,
    };

    private static TypedDataException Unknown(string path, string type) =>
        new($"{path} has unknown type \"{type}\": not a struct in the types, nor an atomic type.");

    private static TypedDataException Wrong(string path, string type, object? value) =>
        new($"{path} is {type} and cannot take a {(value is null ? "null" : value.GetType().Name)} value.");
}
