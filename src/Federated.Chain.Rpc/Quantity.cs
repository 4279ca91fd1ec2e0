using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Federated.Chain.Rpc;

/// <summary>JSON-RPC quantities: "0x"-prefixed hex without leading zeros.</summary>
public static class Quantity
{
    public static string Encode(BigInteger value)
    {
        if (value.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A JSON-RPC quantity cannot be negative.");
        return value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
    }

    public static string Encode(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static BigInteger Parse(string? text, string what)
    {
        if (text is null || text.Length < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') || text.Length > 66)
            throw new RpcTransportException($"Expected {what} as a 0x-prefixed hex quantity, got {(text is null ? "null" : $"\"{Truncate(text)}\"")}.");
        if (!BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            throw new RpcTransportException($"Expected {what} as a hex quantity, got \"{Truncate(text)}\".");
        return value;
    }

    public static ulong ParseUInt64(string? text, string what)
    {
        var value = Parse(text, what);
        return value <= ulong.MaxValue ? (ulong)value : throw new RpcTransportException($"{what} {text} does not fit in 64 bits.");
    }

    internal static BigInteger Parse(JsonElement element, string what) =>
        Parse(element.ValueKind == JsonValueKind.String ? element.GetString() : element.ToString(), what);

    internal static ulong ParseUInt64(JsonElement element, string what) =>
        ParseUInt64(element.ValueKind == JsonValueKind.String ? element.GetString() : element.ToString(), what);

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
