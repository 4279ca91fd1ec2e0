using System.Collections;
using System.Numerics;
using System.Text.Json;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;
using Nethereum.ABI;
using Nethereum.ABI.Model;

namespace Federated.Chain.Tests;

/// <summary>Turns the JSON values of the cast vectors into the CLR values the ABI coders take, and
/// writes decoded values back as comparable text.</summary>
public static class AbiJson
{
    public static object? ToValue(ABIType type, JsonElement json) => type switch
    {
        IntType => BigInteger.Parse(json.GetString()!),
        AddressType => EthereumAddress.Parse(json.GetString()!),
        BoolType => json.GetBoolean(),
        Bytes32Type or BytesElementaryType or BytesType => Hex.Decode(json.GetString()!),
        StringType => json.GetString(),
        ArrayType array => json.EnumerateArray().Select(e => ToValue(array.ElementType, e)).ToArray(),
        TupleType tuple => json.EnumerateArray().Select((e, i) => ToValue(tuple.Components[i].ABIType, e)).ToArray(),
        _ => throw new ArgumentException($"No JSON mapping for {type}"),
    };

    public static object?[] ToValues(IReadOnlyList<Parameter> types, JsonElement values) =>
        values.EnumerateArray().Select((v, i) => ToValue(types[i].ABIType, v)).ToArray();

    /// <summary>The vector's type list, parsed as one comma-separated list (a tuple type is one entry).</summary>
    public static IReadOnlyList<Parameter> Types(JsonElement types) =>
        AbiCodec.ParseTypes(string.Join(",", types.EnumerateArray().Select(t => t.GetString()!)));

    public static string Describe(object? value) => value switch
    {
        byte[] bytes => Hex.Encode(bytes),
        EthereumAddress address => address.ToChecksumString(),
        bool flag => flag ? "true" : "false",
        string text => "\"" + text + "\"",
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
        null => "null",
        _ => value.ToString()!,
    };
}
