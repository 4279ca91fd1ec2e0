using Org.BouncyCastle.Crypto.Digests;

namespace Federated.Chain.Hashing;

/// <summary>Keccak-256 as Ethereum uses it: the original Keccak padding, not NIST SHA3-256.</summary>
public static class Keccak256
{
    public const int Size = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data.ToArray(), 0, data.Length);
        var output = new byte[Size];
        digest.DoFinal(output, 0);
        return output;
    }

    /// <summary>Hashes the concatenation of several parts without building it first.</summary>
    public static byte[] HashConcat(params byte[][] parts)
    {
        var digest = new KeccakDigest(256);
        foreach (var part in parts)
            digest.BlockUpdate(part, 0, part.Length);
        var output = new byte[Size];
        digest.DoFinal(output, 0);
        return output;
    }

    public static byte[] HashUtf8(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));
}
