using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

public class HexTests
{
    [Theory]
    [InlineData("0x", new byte[0])]
    [InlineData("", new byte[0])]
    [InlineData("0x00ff10", new byte[] { 0x00, 0xff, 0x10 })]
    [InlineData("0XABcd", new byte[] { 0xab, 0xcd })]
    [InlineData("abcd", new byte[] { 0xab, 0xcd })]
    public void Decoding_accepts_with_or_without_prefix_and_any_case(string text, byte[] expected) =>
        Assert.Equal(expected, Hex.Decode(text));

    [Fact]
    public void Encoding_is_lowercase_with_prefix() => Assert.Equal("0x00ff10", Hex.Encode([0x00, 0xff, 0x10]));

    [Fact]
    public void Encoding_without_prefix_leaves_it_off() => Assert.Equal("abcd", Hex.Encode([0xab, 0xcd], prefix: false));

    [Fact]
    public void Odd_number_of_digits_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => Hex.Decode("0xabc"));
        Assert.Contains("odd number of digits (3)", error.Message);
    }

    [Fact]
    public void Bad_character_is_refused_naming_its_position()
    {
        var error = Assert.Throws<FormatException>(() => Hex.Decode("0x12g4"));
        Assert.Equal("Invalid hex character 'g' at position 4.", error.Message);
    }

    [Fact]
    public void Fixed_length_decoding_refuses_the_wrong_size()
    {
        var error = Assert.Throws<FormatException>(() => Hex.DecodeFixed("0x1234", 32));
        Assert.Contains("Expected 32 bytes of hex, got 2", error.Message);
    }
}
