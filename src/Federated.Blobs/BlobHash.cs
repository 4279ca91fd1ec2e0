using System.Security.Cryptography;

namespace Federated.Blobs;

/// <summary>The SHA-256 of a blob's bytes, as 64 lowercase hex characters: its address in the store.</summary>
public readonly record struct BlobHash
{
    public string Hex { get; }

    private BlobHash(string hex) => Hex = hex;

    public static BlobHash Of(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>Parses a hash written by <see cref="ToString"/>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static BlobHash Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 64)
            throw new FormatException($"blob hash must be 64 hex characters, got {text.Length}: '{Truncate(text)}'");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f'))
                throw new FormatException($"blob hash has a character that is not lowercase hex at index {i}: '{Truncate(text)}'");
        }
        return new BlobHash(text);
    }

    public static bool TryParse(string? text, out BlobHash hash)
    {
        hash = default;
        if (text is null) return false;
        try { hash = Parse(text); return true; }
        catch (FormatException) { return false; }
    }

    public override string ToString() => Hex ?? string.Empty;

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
