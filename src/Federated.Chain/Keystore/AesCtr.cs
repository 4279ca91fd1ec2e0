using System.Security.Cryptography;

namespace Federated.Chain.Keystore;

/// <summary>AES-CTR with a 128-bit big-endian counter starting at the IV, as Web3 Secret Storage uses it
/// (encryption and decryption are the same operation).</summary>
internal static class AesCtr
{
    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input)
    {
        if (iv.Length != 16) throw new ArgumentException($"AES-CTR needs a 16-byte IV, got {iv.Length}", nameof(iv));
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var counter = iv.ToArray();
        var output = new byte[input.Length];
        var stream = new byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            aes.EncryptEcb(counter, stream, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < input.Length; i++) output[offset + i] = (byte)(input[offset + i] ^ stream[i]);
            for (var i = 15; i >= 0 && ++counter[i] == 0; i--) { }
        }
        return output;
    }
}
