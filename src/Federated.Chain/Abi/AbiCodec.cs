namespace Federated.Chain.Abi;

/// <summary>Entry points for ABI encoding and decoding of argument lists (encoded as a tuple).</summary>
public static class AbiCodec
{
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count)
            throw new AbiException($"{types.Count} type(s) but {values.Count} value(s) were given.");
        return AbiTuple.EncodeSequence(types.Count, i => types[i], values);
    }

    /// <summary>Encodes values for a comma-separated type list, e.g. Encode("uint256,address[]", 1, list).</summary>
    public static byte[] Encode(string types, params object?[] values) => Encode(ParseTypes(types), values);

    /// <summary>Decodes an argument list. Data after the last referenced byte is ignored, as the EVM does.</summary>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        var reader = new AbiReader(data);
        var owner = new AbiTuple(types);
        return AbiTuple.DecodeSequence(ref reader, 0, types.Count, i => types[i], owner);
    }

    public static object?[] Decode(string types, ReadOnlySpan<byte> data) => Decode(ParseTypes(types), data);

    /// <summary>Parses a comma-separated list "T1,T2,..."; "(T1,T2)" is one tuple-typed entry.</summary>
    public static IReadOnlyList<AbiType> ParseTypes(string types) =>
        ((AbiTuple)AbiType.Parse("(" + types.Trim() + ")")).Components;

    public static byte[] FunctionSelector(string signature) => AbiFunction.Parse(signature).Selector;

    public static byte[] EventTopic(string signature) => AbiFunction.Parse(signature).Topic;
}
