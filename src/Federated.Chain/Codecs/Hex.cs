namespace Federated.Chain.Codecs;

/// <summary>Hex text as Ethereum tools write it: lowercase, "0x" prefixed.</summary>
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
        var result = new byte[digits.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var high = DigitValue(digits[2 * i], start + 2 * i);
            var low = DigitValue(digits[2 * i + 1], start + 2 * i + 1);
            result[i] = (byte)(high << 4 | low);
        }
        return result;
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

    private static int DigitValue(char c, int position) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => throw new FormatException($"Invalid hex character '{c}' at position {position}."),
    };
}
