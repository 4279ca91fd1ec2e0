using System.Text.RegularExpressions;
using Nethereum.ABI;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;

namespace Federated.Chain.Abi;

/// <summary>
/// ABI encoding and decoding of argument lists, on Nethereum.ABI (its signature parser, <see cref="ParametersEncoder"/>
/// and <see cref="ParameterDecoder"/>). What stays here: the type names we accept, the CLR values callers pass and
/// get back (<see cref="AbiValues"/>), and the refusals the library does not make by itself (a value count that does
/// not match, a bytesN of the wrong length, data shorter than the arguments' head), each with a sentence naming the
/// type. Every library failure surfaces as <see cref="AbiException"/>.
/// </summary>
public static partial class AbiCodec
{
    /// <summary>Parses a comma-separated list "T1,T2,..."; "(T1,T2)" is one tuple-typed entry, "uint" means uint256.</summary>
    public static IReadOnlyList<Parameter> ParseTypes(string types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Trim().Length == 0) return [];
        List<Parameter> parameters;
        try
        {
            parameters = new ABIStringSignatureDeserialiser().ExtractParameters(types.Trim());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            throw new AbiException($"\"{types}\" is not a list of ABI types: {e.Message}");
        }
        foreach (var parameter in parameters) CheckType(parameter.ABIType, types);
        // The library's parser keeps only the last dimension of an array of tuples ("(uint256)[3][]" becomes "(uint256)[]").
        if (CanonicalList(parameters).Count(c => c == '[') != types.Count(c => c == '['))
            throw new AbiException($"\"{types}\": multi-dimensional arrays of tuples are not supported (the parser would drop a dimension).");
        return parameters;
    }

    public static byte[] Encode(IReadOnlyList<Parameter> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
            throw new AbiException($"{types.Count} type(s) but {values.Count} value(s) were given.");
        var converted = new object[values.Count];
        for (var i = 0; i < values.Count; i++) converted[i] = AbiValues.ToLibrary(types[i].ABIType, values[i]);
        try
        {
            return new ParametersEncoder().EncodeParameters([.. types], converted);
        }
        catch (AbiEncodingException e)
        {
            throw new AbiException($"{e.Message.Split("  ")[0].TrimEnd('.')}: the value does not fit the type.");
        }
    }

    /// <summary>Encodes values for a comma-separated type list, e.g. Encode("uint256,address[]", 1, list).</summary>
    public static byte[] Encode(string types, params object?[] values) => Encode(ParseTypes(types), values);

    /// <summary>Decodes an argument list. Data after the arguments is ignored, as the EVM does; data shorter than the
    /// arguments' head (one word per dynamic argument, the whole of a static one) is refused, where the library would
    /// read zeros.</summary>
    public static object?[] Decode(IReadOnlyList<Parameter> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        var head = types.Sum(t => (long)(t.ABIType.IsDynamic() ? 32 : t.ABIType.FixedSize));
        if (data.Length < head)
            throw new AbiException($"({string.Join(",", types.Select(t => t.ABIType.CanonicalName))}) needs {head} bytes but only {data.Length} remain.");
        if (types.Count == 0) return [];
        List<ParameterOutput> outputs;
        try
        {
            outputs = new ParameterDecoder().DecodeDefaultData(data.ToArray(), [.. types]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library's refusals are of many kinds (offsets and lengths past the end, overflowing ones): one sentence.
            throw new AbiException($"Data of {data.Length} bytes does not decode as ({string.Join(",", types.Select(t => t.ABIType.CanonicalName))}): {e.Message}");
        }
        return [.. outputs.OrderBy(o => o.Parameter.Order).Select(o => AbiValues.FromLibrary(o.Parameter.ABIType, o.Result))];
    }

    public static object?[] Decode(string types, ReadOnlySpan<byte> data) => Decode(ParseTypes(types), data);

    public static byte[] FunctionSelector(string signature) => AbiFunction.Parse(signature).Selector;

    public static byte[] EventTopic(string signature) => AbiFunction.Parse(signature).Topic;

    /// <summary>The canonical type list, e.g. "uint256,(address,bytes32)[]".</summary>
    public static string CanonicalList(IEnumerable<Parameter> types) => string.Join(",", types.Select(t => CanonicalName(t.ABIType)));

    public static string CanonicalName(ABIType type) => type switch
    {
        TupleType tuple => "(" + CanonicalList(tuple.Components ?? []) + ")",
        ArrayType array => CanonicalName(array.ElementType) + type.CanonicalName[type.CanonicalName.LastIndexOf('[')..],
        _ => type.CanonicalName,
    };

    /// <summary>The library takes any width for uintN/intN and bytesN; the ABI allows 8..256 in steps of 8 and 1..32.</summary>
    private static void CheckType(ABIType type, string text)
    {
        switch (type)
        {
            case TupleType tuple:
                if (tuple.Components is null || tuple.Components.Length == 0)
                    throw new AbiException($"\"{text}\" has an empty or unterminated tuple.");
                foreach (var component in tuple.Components) CheckType(component.ABIType, text);
                break;
            case ArrayType array:
                CheckType(array.ElementType, text);
                break;
            default:
                if (!Elementary().IsMatch(type.CanonicalName))
                    throw new AbiException($"{type.CanonicalName} is not a valid type (in \"{text}\").");
                break;
        }
    }

    [GeneratedRegex("^(address|bool|string|bytes|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)|bytes([1-9]|[12][0-9]|3[0-2]))$")]
    private static partial Regex Elementary();
}
