using System.Numerics;
using System.Text.Json;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;

namespace Federated.Chain.TypedData;

/// <summary>A complete EIP-712 request, as eth_signTypedData_v4 and `cast wallet sign --data` take it.</summary>
public sealed record Eip712TypedData(
    IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> Types,
    string PrimaryType,
    Eip712Domain Domain,
    IReadOnlyDictionary<string, object?> Message)
{
    public byte[] Digest() => Eip712.Digest(Domain, PrimaryType, Types, Message);

    public EcdsaSignature Sign(ReadOnlySpan<byte> privateKey) => Secp256k1.Sign(Digest(), privateKey);

    /// <summary>Reads the JSON form {types, primaryType, domain, message}. The domain's type is derived from the
    /// domain fields present; an "EIP712Domain" entry in types, if given, must list the same fields in that order.</summary>
    public static Eip712TypedData FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new TypedDataException($"Typed data is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw new TypedDataException($"Typed data JSON has a value of the wrong kind: {e.Message}");
        }
    }

    private static Eip712TypedData FromJson(JsonElement root)
    {
        var types = new Dictionary<string, IReadOnlyList<Eip712Field>>();
        foreach (var type in Property(root, "types").EnumerateObject())
        {
            types[type.Name] = type.Value.EnumerateArray()
                .Select(f => new Eip712Field(Property(f, "name").GetString()!, Property(f, "type").GetString()!))
                .ToArray();
        }
        var domain = ReadDomain(Property(root, "domain"));
        if (types.Remove(Eip712Domain.TypeName, out var declared) && !declared.SequenceEqual(domain.Fields()))
            throw new TypedDataException(
                "EIP712Domain in types must list the domain's fields in the order name, version, chainId, verifyingContract, salt.");
        var message = ToClr(Property(root, "message")) as IReadOnlyDictionary<string, object?>
                      ?? throw new TypedDataException("Typed data \"message\" must be a JSON object.");
        return new Eip712TypedData(types, Property(root, "primaryType").GetString()!, domain, message);
    }

    private static Eip712Domain ReadDomain(JsonElement domain)
    {
        string? Text(string name) => domain.TryGetProperty(name, out var v) ? v.GetString() : null;
        BigInteger? chainId = domain.TryGetProperty("chainId", out var id)
            ? id.ValueKind == JsonValueKind.Number ? ParseNumber(id) : Eip712Values.ParseInteger(id.GetString()!)
            : null;
        return new Eip712Domain
        {
            Name = Text("name"),
            Version = Text("version"),
            ChainId = chainId,
            VerifyingContract = Text("verifyingContract") is { } address ? EthereumAddress.Parse(address) : null,
            Salt = Text("salt") is { } salt ? Hex.DecodeFixed(salt, 32) : null,
        };
    }

    private static BigInteger ParseNumber(JsonElement number) =>
        BigInteger.Parse(number.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);

    private static object? ToClr(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)) as IReadOnlyDictionary<string, object?>,
        JsonValueKind.Array => element.EnumerateArray().Select(ToClr).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ParseNumber(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new TypedDataException($"Typed data JSON is missing \"{name}\".");
}
