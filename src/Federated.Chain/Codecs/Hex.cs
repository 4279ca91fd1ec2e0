namespace Federated.Chain.Codecs;

/// <summary>Hex text as Ethereum tools write it: lowercase, "0x" prefixed. The conversions are the BCL's
/// (<see cref="Convert.ToHexStringLower(ReadOnlySpan{byte})"/>, <see cref="Convert.FromHexString(ReadOnlySpan{char})"/>), which
/// are strict; Nethereum.Hex's decoder is not used because it pads an odd digit count and takes some punctuation
/// (':' to '?') for digits. What stays here: the optional "0x", and errors that name the digit count or position.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true) =>
        prefix ? "0x" + Convert.ToHexStringLower(bytes) : Convert.ToHexStringLower(bytes);

    /// <summary>Decodes hex with or without "0x". Odd length or a non-hex character is a
    /// <see cref="FormatException"/> naming the position in the original text.</summary>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Decode(text.AsSpan());
    }

    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        var start = HasPrefix(text) ? 2 : 0;
        var digits = text[start..];
        if (digits.Length % 2 != 0)
            throw new FormatException($"Hex string has an odd number of digits ({digits.Length}).");
        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            var bad = digits.IndexOfAnyExcept("0123456789abcdefABCDEF");
            throw new FormatException($"Invalid hex character '{digits[bad]}' at position {start + bad}.");
        }
    }

    /// <summary>Decodes hex that must hold exactly <paramref name="length"/> bytes.</summary>
    public static byte[] DecodeFixed(string text, int length)
    {
        var bytes = Decode(text);
        if (bytes.Length != length)
            throw new FormatException($"Expected {length} bytes of hex, got {bytes.Length}.");
        return bytes;
    }

    public static bool HasPrefix(ReadOnlySpan<char> text) =>
        text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}
