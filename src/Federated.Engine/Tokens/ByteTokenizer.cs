namespace Federated.Engine.Tokens;

/// <summary>The default tokenizer: one token per byte of UTF-8 text, vocabulary 256.</summary>
public static class ByteTokenizer
{
    public const int VocabSize = 256;

    public static int[] Encode(ReadOnlySpan<byte> bytes)
    {
        var tokens = new int[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) tokens[i] = bytes[i];
        return tokens;
    }

    public static int[] Encode(string text) => Encode(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Back to bytes; a token outside 0..255 is an error naming its index and value.</summary>
    public static byte[] Decode(ReadOnlySpan<int> tokens)
    {
        var bytes = new byte[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if ((uint)t >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"token {t} at index {i} is outside the byte vocabulary 0..255");
            bytes[i] = (byte)t;
        }
        return bytes;
    }
}
