using Nethereum.Util;

namespace Federated.Chain.Hashing;

/// <summary>Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256), from Nethereum.Util.</summary>
public static class Keccak256
{
    public const int Size = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    /// <summary>Hashes an array as it is (the library takes arrays; no copy, for the per-update signature check).</summary>
    public static byte[] Hash(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    /// <summary>Hashes the concatenation of several parts.</summary>
    public static byte[] HashConcat(params byte[][] parts) => Hash(parts.SelectMany(part => part).ToArray());

    public static byte[] HashUtf8(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));
}
