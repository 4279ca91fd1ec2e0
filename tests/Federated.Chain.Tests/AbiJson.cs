using System.Collections;
using System.Numerics;
using System.Text.Json;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

/// <summary>Turns the JSON values of the cast vectors into the CLR values the ABI coders take, and
/// writes decoded values back as comparable text.</summary>
public static class AbiJson
{
    public static object? ToValue(AbiType type, JsonElement json) => type switch
    {
        AbiUint or AbiInt => BigInteger.Parse(json.GetString()!),
        AbiAddress => EthereumAddress.Parse(json.GetString()!),
        AbiBool => json.GetBoolean(),
        AbiFixedBytes or AbiBytes => Hex.Decode(json.GetString()!),
        AbiString => json.GetString(),
        AbiArray array => json.EnumerateArray().Select(e => ToValue(array.Element, e)).ToArray(),
        AbiTuple tuple => json.EnumerateArray().Select((e, i) => ToValue(tuple.Components[i], e)).ToArray(),
        _ => throw new ArgumentException($"No JSON mapping for {type}"),
    };

    public static object?[] ToValues(IReadOnlyList<AbiType> types, JsonElement values) =>
        values.EnumerateArray().Select((v, i) => ToValue(types[i], v)).ToArray();

    public static IReadOnlyList<AbiType> Types(JsonElement types) =>
        types.EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();

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
