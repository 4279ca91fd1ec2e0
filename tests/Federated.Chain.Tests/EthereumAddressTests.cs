using Federated.Chain.Codecs;
using Federated.Chain.Signing;

namespace Federated.Chain.Tests;

public class EthereumAddressTests
{
    // The test addresses published in EIP-55.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_examples_checksum_to_themselves(string address)
    {
        Assert.Equal(address, EthereumAddress.Parse(address.ToLowerInvariant()).ToChecksumString());
        Assert.True(EthereumAddress.IsChecksumValid(address));
    }

    [Fact]
    public void Mixed_case_with_a_wrong_checksum_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => EthereumAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.Contains("invalid EIP-55 checksum", error.Message);
    }

    [Fact]
    public void All_lowercase_is_accepted_but_not_a_valid_checksum_when_it_has_letters()
    {
        Assert.NotNull(EthereumAddress.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
        Assert.False(EthereumAddress.IsChecksumValid("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    }

    [Theory]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedff")]
    public void Wrong_shape_is_refused(string text) =>
        Assert.Contains("followed by 40 hex digits", Assert.Throws<FormatException>(() => EthereumAddress.Parse(text)).Message);

    [Fact]
    public void Addresses_compare_by_value() =>
        Assert.Equal(EthereumAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            EthereumAddress.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));

    public static TheoryData<int> Checksums => CastVectors.Indices("checksums");

    [Theory]
    [MemberData(nameof(Checksums))]
    public void Checksum_matches_cast_to_check_sum_address(int index)
    {
        var vector = CastVectors.Case("checksums", index);
        Assert.Equal(vector.Text("checksummed"), EthereumAddress.Parse(vector.Text("input")).ToChecksumString());
    }

    public static TheoryData<int> Keys => CastVectors.Indices("addresses");

    [Theory]
    [MemberData(nameof(Keys))]
    public void Address_of_a_key_matches_cast_wallet_address(int index)
    {
        var vector = CastVectors.Case("addresses", index);
        Assert.Equal(vector.Text("address"), EthSigner.AddressOf(vector.Bytes("privateKey")).ToChecksumString());
    }

    [Fact]
    public void Public_key_of_key_one_is_the_generator() =>
        Assert.Equal("0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
                     "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
            Hex.Encode(Secp256k1.PublicKey(Hex.Decode("0x" + new string('0', 63) + "1"))));
}
