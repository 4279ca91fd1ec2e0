using System.Security.Cryptography;
using Federated.Chain.Codecs;
using Federated.Chain.Keystore;
using Federated.Chain.Signing;
using Federated.Randomness;

namespace Federated.Cli.Identity;

/// <summary>A worker key that cannot be loaded; the message says from where and why.</summary>
public sealed class WorkerKeyException(string message) : Exception(message);

/// <summary>
/// Where a worker's secp256k1 key comes from: a Web3 Secret Storage keystore (password from a file or
/// FED_KEY_PASSWORD), the FED_WORKER_KEY environment variable (hex), or, for the in-process demo only, a key
/// derived from the run seed and the worker's index so that a demo stays reproducible.
/// </summary>
public static class WorkerKeys
{
    public const string KeyVariable = "FED_WORKER_KEY";
    public const string PasswordVariable = "FED_KEY_PASSWORD";

    /// <summary>The password from <paramref name="passwordFile"/> (its first line) or from FED_KEY_PASSWORD.</summary>
    public static string Password(string? passwordFile)
    {
        if (passwordFile is not null)
        {
            if (!File.Exists(passwordFile)) throw new WorkerKeyException($"password file {passwordFile} does not exist");
            var text = File.ReadAllText(passwordFile);
            var line = text.Split('\n')[0].TrimEnd('\r');
            if (line.Length == 0) throw new WorkerKeyException($"password file {passwordFile} is empty");
            return line;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(fromEnvironment))
            throw new WorkerKeyException($"no password: give --password-file or set {PasswordVariable}");
        return fromEnvironment;
    }

    /// <summary>The key in FED_WORKER_KEY, or null when the variable is unset.</summary>
    public static byte[]? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(KeyVariable);
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text.Trim(), KeyVariable);
    }

    public static byte[] Parse(string hex, string source)
    {
        byte[] key;
        try
        {
            key = Hex.DecodeFixed(hex, 32);
        }
        catch (FormatException e)
        {
            throw new WorkerKeyException($"{source} is not a 32-byte hex private key: {e.Message}");
        }
        try
        {
            EthSigner.AddressOf(key);
        }
        catch (SignatureException e)
        {
            throw new WorkerKeyException($"{source} is not a valid secp256k1 private key: {e.Message}");
        }
        return key;
    }

    public static KeystoreKey FromKeystore(string path, string password)
    {
        if (!File.Exists(path)) throw new WorkerKeyException($"keystore {path} does not exist");
        try
        {
            return Web3Keystore.Decrypt(File.ReadAllText(path), password);
        }
        catch (KeystoreException e)
        {
            throw new WorkerKeyException($"keystore {path}: {e.Message}");
        }
    }

    public static byte[] Random()
    {
        while (true)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            try
            {
                EthSigner.AddressOf(key);
                return key;
            }
            catch (SignatureException)
            {
                // zero or at least the curve order: about one draw in 2^128; draw again
            }
        }
    }

    /// <summary>A demo worker's key: SHA-256 of the SplitMix64 stream seeded by (run seed, worker index). Not secret:
    /// anyone who knows the seed knows the key, which is fine in one process and nowhere else.</summary>
    public static byte[] Deterministic(ulong runSeed, int workerIndex)
    {
        for (ulong attempt = 0; ; attempt++)
        {
            var random = new SplitMix64(SplitMix64.Derive(runSeed, 0x6b657973 /* "keys" */, (ulong)workerIndex, attempt));
            var material = new byte[32];
            for (var i = 0; i < 4; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(material.AsSpan(8 * i), random.Next());
            var key = SHA256.HashData(material);
            try
            {
                EthSigner.AddressOf(key);
                return key;
            }
            catch (SignatureException)
            {
            }
        }
    }
}
