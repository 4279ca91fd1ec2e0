using Federated.Chain.Codecs;
using Federated.Chain.Keystore;
using Nethereum.KeyStore.Crypto;

namespace Federated.Chain.Tests;

/// <summary>Known answers from RFC 7914 section 12 (reproduced with Python's hashlib.scrypt, OpenSSL), as acceptance
/// tests of the scrypt our keystores use: Nethereum.KeyStore's.</summary>
public class ScryptTests
{
    private static readonly KeyStoreCrypto Library = new();

    [Fact]
    public void Empty_password_and_salt_match_rfc_7914() =>
        Assert.Equal(
            "0x77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
            Hex.Encode(Library.GenerateDerivedScryptKey([], [], 16, 1, 1, 64)));

    [Fact]
    public void Password_nacl_with_n_1024_r_8_p_16_matches_rfc_7914() =>
        Assert.Equal(
            "0xfdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
            Hex.Encode(Library.GenerateDerivedScryptKey("password"u8.ToArray(), "NaCl"u8.ToArray(), 1024, 8, 16, 64)));

    [Fact]
    public void An_n_that_is_not_a_power_of_two_is_refused_before_the_library_sees_it() =>
        Assert.Equal(KeystoreError.ParametersOutOfRange, Assert.Throws<KeystoreException>(() => new ScryptParameters(1000, 1, 1).Check()).Error);
}
