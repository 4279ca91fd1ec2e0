using System.Globalization;
using System.Numerics;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;

namespace Federated.Chain.TypedData;

/// <summary>encodeData for atomic and dynamic EIP-712 members. Accepted values: BigInteger or any CLR integer,
/// or decimal / 0x-hex text for uintN and intN; <see cref="EthereumAddress"/> or its text for address; bool;
/// byte[] or 0x-hex text for bytesN and bytes; string for string. Text forms exist so JSON typed data works.</summary>
public static class Eip712Values
{
    public static byte[] EncodeAtomic(string type, object? value, string path)
    {
        try
        {
            return type switch
            {
                "string" => Keccak256.HashUtf8(value as string ?? throw Wrong(path, type, value)),
                "bytes" => Keccak256.Hash(AsBytes(value) ?? throw Wrong(path, type, value)),
                _ => EncodeWord(type, value, path),
            };
        }
        catch (Exception e) when (e is FormatException and not TypedDataException)
        {
            throw new TypedDataException($"{path} ({type}): {e.Message}");
        }
    }

    private static byte[] EncodeWord(string type, object? value, string path)
    {
        AbiType abiType;
        try
        {
            abiType = AbiType.Parse(type);
        }
        catch (AbiException)
        {
            throw new TypedDataException($"{path} has unknown type \"{type}\": not a struct in the types, nor an atomic type.");
        }
        object? converted = abiType switch
        {
            AbiUint or AbiInt => AsInteger(value),
            AbiFixedBytes => AsBytes(value),
            AbiAddress or AbiBool => value,
            _ => throw new TypedDataException($"{path} has type \"{type}\", which EIP-712 does not allow here."),
        };
        return abiType.Encode(converted ?? throw Wrong(path, type, value));
    }

    private static BigInteger? AsInteger(object? value) => value is string text ? ParseInteger(text) : AbiValues.AsInteger(value);

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

    private static TypedDataException Wrong(string path, string type, object? value) =>
        new($"{path} is {type} and cannot take a {(value is null ? "null" : value.GetType().Name)} value.");
}
