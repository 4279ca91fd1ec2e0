using System.Collections;
using System.Numerics;
using Nethereum.ABI;
using Nethereum.ABI.FunctionEncoding;

namespace Federated.Chain.Abi;

/// <summary>The CLR values our callers use, to and from those Nethereum's coders take and give: integers as
/// <see cref="BigInteger"/> (any integral type in), addresses as <see cref="EthereumAddress"/> (or text in), bool,
/// byte[] for bytes and bytesN, string, object?[] for arrays and tuples.</summary>
internal static class AbiValues
{
    public static object ToLibrary(ABIType type, object? value)
    {
        var name = AbiCodec.CanonicalName(type);
        switch (type)
        {
            case TupleType tuple:
                var fields = AsSequence(value) ?? throw new AbiException($"{name} expects a sequence of {tuple.Components.Length} value(s), got {Describe(value)}.");
                if (fields.Count != tuple.Components.Length)
                    throw new AbiException($"{name} needs exactly {tuple.Components.Length} value(s), got {fields.Count}.");
                return fields.Select((f, i) => ToLibrary(tuple.Components[i].ABIType, f)).ToArray();
            case ArrayType array:
                var items = AsSequence(value) ?? throw new AbiException($"{name} expects a sequence, got {Describe(value)}.");
                if (type is StaticArrayType && name[(name.LastIndexOf('[') + 1)..^1] is var size && items.Count != int.Parse(size, System.Globalization.CultureInfo.InvariantCulture))
                    throw new AbiException($"{name} needs exactly {size} element(s), got {items.Count}.");
                return items.Select(item => ToLibrary(array.ElementType, item)).ToList();
            case AddressType:
                return value switch
                {
                    EthereumAddress address => Codecs.Hex.Encode(address.Bytes),
                    string text => Codecs.Hex.Encode(ParseAddress(text).Bytes),
                    _ => throw new AbiException($"address expects an EthereumAddress or its text, got {Describe(value)}."),
                };
            case BoolType:
                return value as bool? ?? throw new AbiException($"bool expects a bool, got {Describe(value)}.");
            case StringType:
                return value as string ?? throw new AbiException($"string expects a string, got {Describe(value)}.");
            case BytesType:
                return value as byte[] ?? throw new AbiException($"bytes expects a byte[], got {Describe(value)}.");
            case Bytes32Type or BytesElementaryType:
                var width = int.Parse(name["bytes".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var bytes = value as byte[] ?? throw new AbiException($"{name} expects a byte[], got {Describe(value)}.");
                // The library pads a short value with zeros; a bytesN is exactly N bytes.
                if (bytes.Length != width) throw new AbiException($"{name} expects exactly {width} bytes, got {bytes.Length}.");
                return bytes;
            case IntType:
                return AsInteger(value) ?? throw new AbiException($"{name} expects an integer, got {Describe(value)}.");
            default:
                throw new AbiException($"{name} is not supported.");
        }
    }

    public static object? FromLibrary(ABIType type, object? value) => type switch
    {
        TupleType => ((IEnumerable<ParameterOutput>)value!).OrderBy(o => o.Parameter.Order).Select(o => FromLibrary(o.Parameter.ABIType, o.Result)).ToArray(),
        ArrayType array => ((IEnumerable)value!).Cast<object?>().Select(item => FromLibrary(array.ElementType, item)).ToArray(),
        AddressType => EthereumAddress.Parse(((string)value!).ToLowerInvariant()),
        IntType => value is BigInteger b ? b : AsInteger(value) ?? throw new AbiException($"{type.CanonicalName} decoded to {Describe(value)}."),
        _ => value,
    };

    private static EthereumAddress ParseAddress(string text)
    {
        try { return EthereumAddress.Parse(text); }
        catch (FormatException e) { throw new AbiException($"address {e.Message}"); }
    }

    /// <summary>A .NET integer of any width as a BigInteger, or null for anything else.</summary>
    internal static BigInteger? AsInteger(object? value) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte b8 => b8,
        sbyte sb => sb,
        _ => null,
    };

    private static IReadOnlyList<object?>? AsSequence(object? value) => value switch
    {
        null or string or byte[] => null,
        IReadOnlyList<object?> list => list,
        IEnumerable sequence => sequence.Cast<object?>().ToArray(),
        _ => null,
    };

    private static string Describe(object? value) => value?.GetType().Name ?? "null";
}
