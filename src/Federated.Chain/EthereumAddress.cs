using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Nethereum.Util;

namespace Federated.Chain;

/// <summary>A 20-byte Ethereum account address. Text form is EIP-55 mixed-case checksum.</summary>
public sealed class EthereumAddress : IEquatable<EthereumAddress>
{
    public const int Size = 20;
    private readonly byte[] _bytes;

    public EthereumAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"An address is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    public static EthereumAddress Zero { get; } = new(new byte[Size]);

    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The address of an uncompressed public key: the last 20 bytes of keccak(x || y).</summary>
    public static EthereumAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == 65 && publicKey[0] == 0x04)
            publicKey = publicKey[1..];
        if (publicKey.Length != 64)
            throw new ArgumentException($"Expected a 64-byte uncompressed public key, got {publicKey.Length} bytes.", nameof(publicKey));
        return new EthereumAddress(Keccak256.Hash(publicKey).AsSpan(12));
    }

    /// <summary>Parses "0x" + 40 hex digits. All-lowercase and all-uppercase are accepted as unchecksummed;
    /// mixed case must be a valid EIP-55 checksum.</summary>
    public static EthereumAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Hex.HasPrefix(text) || text.Length != 2 + 2 * Size)
            throw new FormatException($"An address is \"0x\" followed by 40 hex digits, got \"{text}\".");
        var address = new EthereumAddress(Hex.Decode(text));
        var digits = text[2..];
        var mixedCase = digits.Any(char.IsLower) && digits.Any(char.IsUpper);
        if (mixedCase && address.ToChecksumString() != "0x" + digits)
            throw new FormatException($"Address \"{text}\" has an invalid EIP-55 checksum.");
        return address;
    }

    public static bool TryParse(string? text, out EthereumAddress? address)
    {
        try
        {
            address = text is null ? null : Parse(text);
            return address is not null;
        }
        catch (FormatException)
        {
            address = null;
            return false;
        }
    }

    /// <summary>True when the text is exactly the EIP-55 form of its address.</summary>
    public static bool IsChecksumValid(string text) =>
        TryParse(text, out var address) && address!.ToChecksumString() == text;

    /// <summary>EIP-55 mixed-case checksum form (Nethereum's AddressUtil).</summary>
    public string ToChecksumString() => _checksum ??= AddressUtil.Current.ConvertToChecksumAddress(_bytes);

    // EIP-55 costs a Keccak per call and a signature check asks for it twice (the claimed signer's checksum when
    // parsed, the signer's text when recorded); the bytes never change, so the text is computed once per instance.
    private string? _checksum;

    public override string ToString() => ToChecksumString();

    public bool Equals(EthereumAddress? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as EthereumAddress);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public static bool operator ==(EthereumAddress? left, EthereumAddress? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(EthereumAddress? left, EthereumAddress? right) => !(left == right);
}
