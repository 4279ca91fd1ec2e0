namespace Federated.Testing;

/// <summary>
/// One Ethereum signature (r || s || v hex) written the other ways tools accept: without "0x", in upper case, with v
/// as 0/1 instead of 27/28. Each is the same signature over the same digest; a replay check must see through them.
/// </summary>
public static class SignatureSpellings
{
    public static IReadOnlyDictionary<string, string> Of(string signature)
    {
        var digits = signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature;
        if (digits.Length != 130) throw new ArgumentException($"expected 65 bytes of hex, got {digits.Length} digits", nameof(signature));
        var v = Convert.ToInt32(digits[128..], 16);
        var yParity = v >= 27 ? v - 27 : v;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["as-sent"] = signature,
            ["no-0x"] = digits,
            ["upper-case"] = "0x" + digits.ToUpperInvariant(),
            ["v-as-parity"] = "0x" + digits[..128] + yParity.ToString("x2"),
            ["all-at-once"] = (digits[..128] + yParity.ToString("x2")).ToUpperInvariant(),
        };
    }

    public static IEnumerable<string> Names => ["as-sent", "no-0x", "upper-case", "v-as-parity", "all-at-once"];
}
