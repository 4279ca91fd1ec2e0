using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;
using Nethereum.KeyStore.Crypto;

namespace Federated.Chain.Keystore;

/// <summary>A decrypted keystore: the secp256k1 key and its address.</summary>
public sealed record KeystoreKey(byte[] PrivateKey, EthereumAddress Address);

/// <summary>How <see cref="Web3Keystore.Encrypt"/> writes a keystore; salt, IV and id are random unless given.</summary>
public sealed record KeystoreOptions
{
    public ScryptParameters Scrypt { get; init; } = ScryptParameters.Standard;
    public byte[]? Salt { get; init; }
    public byte[]? Iv { get; init; }
    public Guid? Id { get; init; }
}

/// <summary>
/// Web3 Secret Storage v3, the keystore format of geth, ethers and every wallet: the key encrypted with AES-128-CTR
/// under the first 16 bytes of a password-derived key (scrypt, or PBKDF2-HMAC-SHA256 when reading), and a MAC
/// keccak256(derived[16..32] || ciphertext) that tells a wrong password from a right one. Pure: no files.
/// The cryptography (scrypt, PBKDF2, AES-CTR, the MAC) is Nethereum.KeyStore's <see cref="KeyStoreCrypto"/>; what is
/// ours is the reading: every field is checked, and the KDF's cost bounded (<see cref="ScryptParameters.Check"/>,
/// the PBKDF2 count, the file and salt sizes), before the library derives anything from a file we did not write.
/// </summary>
public static class Web3Keystore
{
    private const int DerivedKeyLength = 32;
    private const int MaxPbkdf2Iterations = 10_000_000;
    private const int MaxJsonBytes = 64 * 1024;
    private static readonly KeyStoreCrypto Crypto = new();

    public static string Encrypt(ReadOnlySpan<byte> privateKey, string password, KeystoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        options ??= new KeystoreOptions();
        var address = EthSigner.AddressOf(privateKey); // refuses a key that is not a valid secp256k1 scalar
        var scrypt = options.Scrypt.Check();
        var salt = options.Salt ?? RandomNumberGenerator.GetBytes(32);
        var iv = options.Iv ?? RandomNumberGenerator.GetBytes(16);
        if (iv.Length != 16) throw new KeystoreException(KeystoreError.Malformed, $"cipherparams.iv must be 16 bytes, got {iv.Length}");
        var derived = Crypto.GenerateDerivedScryptKey(Encoding.UTF8.GetBytes(password), salt, scrypt.N, scrypt.R, scrypt.P, DerivedKeyLength);
        var ciphertext = Crypto.GenerateAesCtrCipher(iv, Crypto.GenerateCipherKey(derived), privateKey.ToArray());
        var mac = Crypto.GenerateMac(derived, ciphertext);
        var json = new JsonObject
        {
            ["address"] = Hex.Encode(address.Bytes, prefix: false),
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["ciphertext"] = Hex.Encode(ciphertext, prefix: false),
                ["cipherparams"] = new JsonObject { ["iv"] = Hex.Encode(iv, prefix: false) },
                ["kdf"] = "scrypt",
                ["kdfparams"] = new JsonObject
                {
                    ["dklen"] = DerivedKeyLength, ["n"] = scrypt.N, ["p"] = scrypt.P, ["r"] = scrypt.R, ["salt"] = Hex.Encode(salt, prefix: false),
                },
                ["mac"] = Hex.Encode(mac, prefix: false),
            },
            ["id"] = (options.Id ?? Guid.NewGuid()).ToString(),
            ["version"] = 3,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Decrypts a keystore. Every field is checked, and the KDF's cost bounded, before any key is derived.</summary>
    /// <exception cref="KeystoreException">The file is malformed or unsupported, its parameters are out of bounds, or the
    /// password is wrong (<see cref="KeystoreError.WrongPassword"/>).</exception>
    public static KeystoreKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        if (json.Length > MaxJsonBytes) throw Malformed($"keystore is {json.Length} characters; a keystore is under {MaxJsonBytes}");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Malformed($"keystore is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Malformed("keystore must be a JSON object");
            var version = Integer(Required(root, "version"), "version");
            if (version != 3) throw new KeystoreException(KeystoreError.Unsupported, $"keystore version {version} is not supported; this reader reads version 3");
            // MyEtherWallet writes "Crypto"; the definition says "crypto".
            var crypto = root.TryGetProperty("crypto", out var c) ? c : root.TryGetProperty("Crypto", out c) ? c : throw Malformed("keystore has no \"crypto\" object");
            if (crypto.ValueKind != JsonValueKind.Object) throw Malformed("crypto must be a JSON object");

            var cipher = Text(Required(crypto, "cipher"), "crypto.cipher");
            if (cipher != "aes-128-ctr") throw new KeystoreException(KeystoreError.Unsupported, $"crypto.cipher \"{cipher}\" is not supported; this reader reads aes-128-ctr");
            var iv = Bytes(Required(Object(Required(crypto, "cipherparams"), "crypto.cipherparams"), "iv"), "crypto.cipherparams.iv", 16);
            var ciphertext = Bytes(Required(crypto, "ciphertext"), "crypto.ciphertext", 32);
            var mac = Bytes(Required(crypto, "mac"), "crypto.mac", 32);
            var derived = DeriveKey(crypto, password);

            byte[] key;
            try
            {
                key = Crypto.Decrypt(mac, iv, ciphertext, derived);
            }
            catch (DecryptionException)
            {
                throw new KeystoreException(KeystoreError.WrongPassword, "keystore MAC does not match: wrong password, or the ciphertext was altered");
            }
            EthereumAddress address;
            try
            {
                address = EthSigner.AddressOf(key);
            }
            catch (SignatureException e)
            {
                throw new KeystoreException(KeystoreError.InvalidKey, $"keystore decrypts to an invalid secp256k1 key: {e.Message}");
            }
            if (root.TryGetProperty("address", out var stated) && stated.ValueKind == JsonValueKind.String)
            {
                var text = stated.GetString()!;
                if (!Hex.HasPrefix(text)) text = "0x" + text;
                if (!EthereumAddress.TryParse(text, out var statedAddress))
                    throw Malformed($"address \"{stated.GetString()}\" is not an Ethereum address");
                if (statedAddress != address)
                    throw new KeystoreException(KeystoreError.InvalidKey, $"keystore states address {statedAddress} but its key belongs to {address}");
            }
            return new KeystoreKey(key, address);
        }
    }

    private static byte[] DeriveKey(JsonElement crypto, string password)
    {
        var kdf = Text(Required(crypto, "kdf"), "crypto.kdf");
        var parameters = Object(Required(crypto, "kdfparams"), "crypto.kdfparams");
        var dklen = Integer(Required(parameters, "dklen"), "crypto.kdfparams.dklen");
        if (dklen != DerivedKeyLength)
            throw new KeystoreException(KeystoreError.Unsupported, $"crypto.kdfparams.dklen must be {DerivedKeyLength}, got {dklen}");
        var salt = Bytes(Required(parameters, "salt"), "crypto.kdfparams.salt", null);
        if (salt.Length > 1024) throw Malformed($"crypto.kdfparams.salt is {salt.Length} bytes; at most 1024 are read");
        var secret = Encoding.UTF8.GetBytes(password);
        switch (kdf)
        {
            case "scrypt":
                var scrypt = new ScryptParameters(
                    IntParameter(parameters, "n"), IntParameter(parameters, "r"), IntParameter(parameters, "p")).Check();
                return Crypto.GenerateDerivedScryptKey(secret, salt, scrypt.N, scrypt.R, scrypt.P, DerivedKeyLength);
            case "pbkdf2":
                var prf = Text(Required(parameters, "prf"), "crypto.kdfparams.prf");
                if (prf != "hmac-sha256") throw new KeystoreException(KeystoreError.Unsupported, $"crypto.kdfparams.prf \"{prf}\" is not supported; this reader reads hmac-sha256");
                var iterations = IntParameter(parameters, "c");
                if (iterations < 1 || iterations > MaxPbkdf2Iterations)
                    throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"crypto.kdfparams.c must be between 1 and {MaxPbkdf2Iterations}, got {iterations}");
                return Crypto.GeneratePbkdf2Sha256DerivedKey(password, salt, iterations, DerivedKeyLength);
            default:
                throw new KeystoreException(KeystoreError.Unsupported, $"crypto.kdf \"{kdf}\" is not supported; this reader reads scrypt and pbkdf2");
        }
    }

    private static int IntParameter(JsonElement parameters, string name)
    {
        var value = Integer(Required(parameters, name), "crypto.kdfparams." + name);
        if (value < int.MinValue || value > int.MaxValue)
            throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"crypto.kdfparams.{name} = {value} is out of range");
        return (int)value;
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : throw Malformed($"keystore is missing \"{name}\"");

    private static JsonElement Object(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Malformed($"{path} must be a JSON object, got {element.ValueKind}");

    private static string Text(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Malformed($"{path} must be a string, got {element.ValueKind}");

    private static long Integer(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)) return value;
        if (element.ValueKind == JsonValueKind.Number)
            throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"{path} = {element.GetRawText()} is not an integer in range");
        throw Malformed($"{path} must be an integer, got {element.ValueKind}");
    }

    private static byte[] Bytes(JsonElement element, string path, int? length)
    {
        var text = Text(element, path);
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(text);
        }
        catch (FormatException e)
        {
            throw Malformed($"{path} is not hex: {e.Message}");
        }
        if (length is { } expected && bytes.Length != expected)
            throw Malformed(string.Create(CultureInfo.InvariantCulture, $"{path} must be {expected} bytes, got {bytes.Length}"));
        return bytes;
    }

    private static KeystoreException Malformed(string message) => new(KeystoreError.Malformed, message);
}
