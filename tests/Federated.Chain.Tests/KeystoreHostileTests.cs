using System.Text;
using Federated.Chain.Codecs;
using Federated.Chain.Keystore;
using Federated.Testing;

namespace Federated.Chain.Tests;

/// <summary>Seeded mutations of a keystore (cheap scrypt, n = 16, so thousands run in seconds): every one either
/// decrypts to the key or fails with a <see cref="KeystoreException"/>, never another exception.</summary>
public class KeystoreHostileTests
{
    private static readonly byte[] Key = Hex.Decode("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    [Fact]
    public void Three_thousand_mutated_keystores_decrypt_to_the_key_or_fail_with_a_keystore_error()
    {
        var valid = Encoding.UTF8.GetBytes(Web3Keystore.Encrypt(Key, "pw", new KeystoreOptions { Scrypt = new ScryptParameters(16, 1, 1) }));
        var outcomes = new Dictionary<string, int>();
        foreach (var bytes in HostileBytes.Mutations(valid, seed: 11, count: 3000))
        {
            string outcome;
            try
            {
                var key = Web3Keystore.Decrypt(Encoding.UTF8.GetString(bytes), "pw");
                Assert.Equal(Key, key.PrivateKey);
                outcome = "decrypted";
            }
            catch (KeystoreException e)
            {
                outcome = e.Error.ToString();
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("decrypted") > 0 && outcomes.GetValueOrDefault(nameof(KeystoreError.WrongPassword)) > 0
                    && outcomes.GetValueOrDefault(nameof(KeystoreError.Malformed)) > 0, string.Join(", ", outcomes));
    }

    [Fact]
    public void An_oversized_keystore_is_refused_before_parsing() =>
        Assert.Equal(KeystoreError.Malformed, Assert.Throws<KeystoreException>(() => Web3Keystore.Decrypt(new string(' ', 1 << 20), "pw")).Error);
}
