using System.Diagnostics;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;
using Federated.Chain.Keystore;
using Federated.Chain.Signing;
using Xunit.Abstractions;

namespace Federated.Chain.Tests;

/// <summary>
/// Web3 Secret Storage v3. Known answers: the scrypt and PBKDF2 vectors published with the Web3 Secret Storage
/// Definition, and a light-scrypt vector (n = 1024) made by tools/keystore_vectors.py with OpenSSL's scrypt,
/// the cryptography package's AES and a Keccak checked against the published PBKDF2 vector.
/// </summary>
public class KeystoreTests(ITestOutputHelper output)
{
    private const string PublishedKey = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    private const string PublishedScrypt = """
        {
          "crypto" : {
            "cipher" : "aes-128-ctr",
            "cipherparams" : { "iv" : "83dbcc02d8ccb40e466191a123791e0e" },
            "ciphertext" : "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf" : "scrypt",
            "kdfparams" : { "dklen" : 32, "n" : 262144, "r" : 1, "p" : 8, "salt" : "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19" },
            "mac" : "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
          },
          "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
          "version" : 3
        }
        """;

    private const string PublishedPbkdf2 = """
        {
          "crypto" : {
            "cipher" : "aes-128-ctr",
            "cipherparams" : { "iv" : "6087dab2f9fdbbfaddc31a909735c1e6" },
            "ciphertext" : "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf" : "pbkdf2",
            "kdfparams" : { "c" : 262144, "dklen" : 32, "prf" : "hmac-sha256", "salt" : "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd" },
            "mac" : "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
          },
          "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
          "version" : 3
        }
        """;

    private const string LightKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    private const string LightScrypt = """
        {
          "version": 3, "id": "0f8e1c4a-3d2b-4a59-8e7f-112233445566",
          "crypto": {
            "cipher": "aes-128-ctr", "cipherparams": { "iv": "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" },
            "ciphertext": "7e1ce1c118d1cb41f80c1923faef38ccf6e29221317619609dfcba1cb78d00af",
            "kdf": "scrypt",
            "kdfparams": { "dklen": 32, "n": 1024, "r": 8, "p": 1, "salt": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" },
            "mac": "f39234b1e2074bd721170a56a13c4695fb92a01b08d6b226ee82fdcf5fbdb2a4"
          }
        }
        """;

    private static readonly KeystoreOptions Fixed = new()
    {
        Scrypt = new ScryptParameters(1024, 8, 1),
        Salt = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
        Iv = Hex.Decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"),
        Id = Guid.Parse("0f8e1c4a-3d2b-4a59-8e7f-112233445566"),
    };

    [Fact]
    public void The_published_scrypt_vector_decrypts_to_its_key()
    {
        var clock = Stopwatch.StartNew();
        var key = Web3Keystore.Decrypt(PublishedScrypt, "testpassword");
        output.WriteLine($"n = 262144, r = 1, p = 8: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(PublishedKey, Hex.Encode(key.PrivateKey));
    }

    [Fact]
    public void The_published_scrypt_vector_belongs_to_its_published_address()
    {
        var key = Web3Keystore.Decrypt(PublishedScrypt, "testpassword");

        Assert.Equal("0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b", Hex.Encode(key.Address.Bytes));
    }

    [Fact]
    public void The_published_pbkdf2_vector_decrypts_to_its_key() =>
        Assert.Equal(PublishedKey, Hex.Encode(Web3Keystore.Decrypt(PublishedPbkdf2, "testpassword").PrivateKey));

    [Fact]
    public void The_light_scrypt_vector_decrypts_to_its_key() =>
        Assert.Equal(LightKey, Hex.Encode(Web3Keystore.Decrypt(LightScrypt, "federated").PrivateKey));

    [Fact]
    public void Encrypting_with_the_light_vectors_salt_and_iv_gives_its_ciphertext_and_mac()
    {
        var crypto = JsonNode.Parse(Web3Keystore.Encrypt(Hex.Decode(LightKey), "federated", Fixed))!["crypto"]!;

        Assert.Equal(("7e1ce1c118d1cb41f80c1923faef38ccf6e29221317619609dfcba1cb78d00af", "f39234b1e2074bd721170a56a13c4695fb92a01b08d6b226ee82fdcf5fbdb2a4"),
            ((string)crypto["ciphertext"]!, (string)crypto["mac"]!));
    }

    [Fact]
    public void A_written_keystore_reads_back_with_its_address()
    {
        var key = Hex.Decode(LightKey);
        var json = Web3Keystore.Encrypt(key, "pw", new KeystoreOptions { Scrypt = new ScryptParameters(1024, 8, 1) });

        var read = Web3Keystore.Decrypt(json, "pw");

        Assert.Equal((Hex.Encode(key), EthSigner.AddressOf(key)), (Hex.Encode(read.PrivateKey), read.Address));
    }

    [Fact]
    public void A_wrong_password_is_named_as_such()
    {
        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(LightScrypt, "not-federated"));

        Assert.Equal((KeystoreError.WrongPassword, "keystore MAC does not match: wrong password, or the ciphertext was altered"), (error.Error, error.Message));
    }

    [Fact]
    public void An_altered_ciphertext_fails_the_mac()
    {
        var altered = LightScrypt.Replace("7e1ce1c1", "7e1ce1c0");

        Assert.Equal(KeystoreError.WrongPassword, Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(altered, "federated")).Error);
    }

    [Theory]
    [InlineData("", "keystore is not valid JSON")]
    [InlineData("{\"version\": 3, \"crypto\": ", "keystore is not valid JSON")]
    [InlineData("[1, 2]", "keystore must be a JSON object")]
    [InlineData("{\"crypto\": {}}", "keystore is missing \"version\"")]
    [InlineData("{\"version\": \"3\"}", "version must be an integer, got String")]
    [InlineData("{\"version\": 3}", "keystore has no \"crypto\" object")]
    public void A_corrupted_file_is_malformed_with_the_cause_named(string json, string expected)
    {
        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(json, "x"));

        Assert.Equal(KeystoreError.Malformed, error.Error);
        Assert.StartsWith(expected, error.Message);
    }

    [Theory]
    [InlineData("\"iv\": \"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\"", "\"iv\": \"a0a1\"", "crypto.cipherparams.iv must be 16 bytes, got 2")]
    [InlineData("\"mac\": \"f392", "\"mac\": \"zz92", "crypto.mac is not hex: Invalid hex character 'z' at position 0.")]
    [InlineData("\"ciphertext\": \"7e1ce1c1", "\"ciphertext\": 7, \"x\": \"", "crypto.ciphertext must be a string, got Number")]
    [InlineData("\"cipherparams\": {", "\"cipherparams\": 1, \"y\": {", "crypto.cipherparams must be a JSON object, got Number")]
    public void A_corrupted_field_is_named(string field, string corrupted, string expected)
    {
        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(LightScrypt.Replace(field, corrupted), "federated"));

        Assert.Equal((KeystoreError.Malformed, expected), (error.Error, error.Message));
    }

    [Theory]
    [InlineData("\"n\": 1024", "\"n\": 1000", "kdfparams.n must be a power of 2 greater than 1, got 1000")]
    [InlineData("\"n\": 1024", "\"n\": 1073741824", "kdfparams n = 1073741824, r = 8 need 1048576 MiB, more than the 256 MiB this reader allows")]
    [InlineData("\"n\": 1024", "\"n\": 99999999999999", "crypto.kdfparams.n = 99999999999999 is out of range")]
    [InlineData("\"p\": 1", "\"p\": 1000000", "kdfparams.p must be between 1 and 1024, got 1000000")]
    [InlineData("\"n\": 1024, \"r\": 8, \"p\": 1", "\"n\": 32768, \"r\": 8, \"p\": 128", "kdfparams n * r * p = 33554432 exceeds the 16777216 this reader allows")]
    public void Scrypt_parameters_beyond_the_bounds_are_refused_before_deriving(string field, string hostile, string expected)
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(LightScrypt.Replace(field, hostile), "federated"));

        Assert.Equal((KeystoreError.ParametersOutOfRange, expected), (error.Error, error.Message));
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("\"kdf\": \"scrypt\"", "\"kdf\": \"argon2\"", "crypto.kdf \"argon2\" is not supported; this reader reads scrypt and pbkdf2")]
    [InlineData("\"cipher\": \"aes-128-ctr\"", "\"cipher\": \"aes-128-cbc\"", "crypto.cipher \"aes-128-cbc\" is not supported; this reader reads aes-128-ctr")]
    [InlineData("\"version\": 3", "\"version\": 1", "keystore version 1 is not supported; this reader reads version 3")]
    [InlineData("\"dklen\": 32", "\"dklen\": 64", "crypto.kdfparams.dklen must be 32, got 64")]
    public void An_unsupported_scheme_is_named(string field, string other, string expected)
    {
        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(LightScrypt.Replace(field, other), "federated"));

        Assert.Equal((KeystoreError.Unsupported, expected), (error.Error, error.Message));
    }

    [Fact]
    public void A_stated_address_that_is_not_the_keys_is_refused()
    {
        var json = LightScrypt.Replace("\"version\": 3,", "\"version\": 3, \"address\": \"008aeeda4d805471df9b2a5b0f38a0c3bcba786b\",");

        var error = Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(json, "federated"));

        Assert.Equal(KeystoreError.InvalidKey, error.Error);
        Assert.StartsWith("keystore states address 0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b but its key belongs to 0x", error.Message);
    }
}
