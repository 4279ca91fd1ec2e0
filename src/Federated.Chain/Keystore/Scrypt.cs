using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Federated.Chain.Keystore;

/// <summary>
/// scrypt (RFC 7914) with PBKDF2-HMAC-SHA256 and Salsa20/8. Written here rather than taken from BouncyCastle,
/// whose SCrypt refuses r = 1 with N of 2^16 or more, the parameters of the published Web3 Secret Storage vector
/// (RFC 7914 asks for N &lt; 2^(16 r), a limit geth and every wallet ignore). Callers bound N, r and p first
/// (<see cref="ScryptParameters"/>): the memory used is 128 * r * N bytes.
/// </summary>
public static class Scrypt
{
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length)
    {
        if (n < 2 || !BitOperations.IsPow2(n)) throw new ArgumentOutOfRangeException(nameof(n), n, "scrypt n must be a power of 2 greater than 1");
        if (r < 1) throw new ArgumentOutOfRangeException(nameof(r), r, "scrypt r must be at least 1");
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "scrypt p must be at least 1");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "scrypt key length must be at least 1");
        var blockBytes = 128 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, checked(p * blockBytes));
        var x = new uint[32 * r];
        var v = new uint[checked(32 * r * n)]; // (N, 32r) words: the memory-hard table
        var scratch = new uint[32 * r];
        for (var i = 0; i < p; i++)
        {
            var block = b.AsSpan(i * blockBytes, blockBytes);
            for (var k = 0; k < x.Length; k++) x[k] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * k)..]);
            RoMix(x, v, scratch, n, r);
            for (var k = 0; k < x.Length; k++) BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * k)..], x[k]);
        }
        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
    }

    private static void RoMix(uint[] x, uint[] v, uint[] scratch, int n, int r)
    {
        var words = 32 * r;
        for (var i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, i * words, words);
            BlockMix(x, scratch, r);
        }
        for (var i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte block, modulo N (a power of two, so a mask).
            var j = (int)(x[words - 16] & (uint)(n - 1));
            for (var k = 0; k < words; k++) x[k] ^= v[j * words + k];
            BlockMix(x, scratch, r);
        }
    }

    /// <summary>scryptBlockMix: Y_i = Salsa(Y_{i-1} xor B_i), then the even blocks followed by the odd ones.</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i++)
        {
            for (var k = 0; k < 16; k++) t[k] ^= b[i * 16 + k];
            Salsa208(t);
            // Even blocks go to the first half, odd blocks to the second.
            t.CopyTo(y.AsSpan((i / 2 + (i % 2) * r) * 16, 16));
        }
        Array.Copy(y, b, y.Length);
    }

    private static void Salsa208(Span<uint> block)
    {
        Span<uint> x = stackalloc uint[16];
        block.CopyTo(x);
        for (var i = 0; i < 8; i += 2)
        {
            x[4] ^= BitOperations.RotateLeft(x[0] + x[12], 7); x[8] ^= BitOperations.RotateLeft(x[4] + x[0], 9);
            x[12] ^= BitOperations.RotateLeft(x[8] + x[4], 13); x[0] ^= BitOperations.RotateLeft(x[12] + x[8], 18);
            x[9] ^= BitOperations.RotateLeft(x[5] + x[1], 7); x[13] ^= BitOperations.RotateLeft(x[9] + x[5], 9);
            x[1] ^= BitOperations.RotateLeft(x[13] + x[9], 13); x[5] ^= BitOperations.RotateLeft(x[1] + x[13], 18);
            x[14] ^= BitOperations.RotateLeft(x[10] + x[6], 7); x[2] ^= BitOperations.RotateLeft(x[14] + x[10], 9);
            x[6] ^= BitOperations.RotateLeft(x[2] + x[14], 13); x[10] ^= BitOperations.RotateLeft(x[6] + x[2], 18);
            x[3] ^= BitOperations.RotateLeft(x[15] + x[11], 7); x[7] ^= BitOperations.RotateLeft(x[3] + x[15], 9);
            x[11] ^= BitOperations.RotateLeft(x[7] + x[3], 13); x[15] ^= BitOperations.RotateLeft(x[11] + x[7], 18);
            x[1] ^= BitOperations.RotateLeft(x[0] + x[3], 7); x[2] ^= BitOperations.RotateLeft(x[1] + x[0], 9);
            x[3] ^= BitOperations.RotateLeft(x[2] + x[1], 13); x[0] ^= BitOperations.RotateLeft(x[3] + x[2], 18);
            x[6] ^= BitOperations.RotateLeft(x[5] + x[4], 7); x[7] ^= BitOperations.RotateLeft(x[6] + x[5], 9);
            x[4] ^= BitOperations.RotateLeft(x[7] + x[6], 13); x[5] ^= BitOperations.RotateLeft(x[4] + x[7], 18);
            x[11] ^= BitOperations.RotateLeft(x[10] + x[9], 7); x[8] ^= BitOperations.RotateLeft(x[11] + x[10], 9);
            x[9] ^= BitOperations.RotateLeft(x[8] + x[11], 13); x[10] ^= BitOperations.RotateLeft(x[9] + x[8], 18);
            x[12] ^= BitOperations.RotateLeft(x[15] + x[14], 7); x[13] ^= BitOperations.RotateLeft(x[12] + x[15], 9);
            x[14] ^= BitOperations.RotateLeft(x[13] + x[12], 13); x[15] ^= BitOperations.RotateLeft(x[14] + x[13], 18);
        }
        for (var i = 0; i < 16; i++) block[i] += x[i];
    }
}
