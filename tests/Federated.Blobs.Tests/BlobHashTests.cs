using System.Text;

namespace Federated.Blobs.Tests;

public class BlobHashTests
{
    [Fact]
    public void The_hash_of_abc_is_the_FIPS_180_2_known_answer() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BlobHash.Of("abc"u8).Hex);

    [Fact]
    public void The_hash_of_no_bytes_is_the_known_empty_answer() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BlobHash.Of([]).Hex);

    [Fact]
    public void A_hash_parses_back_from_its_text()
    {
        var hash = BlobHash.Of(Encoding.UTF8.GetBytes("model weights"));

        Assert.Equal(hash, BlobHash.Parse(hash.ToString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Parse_refuses_text_of_the_wrong_length_naming_the_length(int length)
    {
        var error = Assert.Throws<FormatException>(() => BlobHash.Parse(new string('a', length)));

        Assert.Contains($"64 hex characters, got {length}", error.Message);
    }

    [Fact]
    public void Parse_refuses_uppercase_hex_naming_the_index()
    {
        var text = "BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        var error = Assert.Throws<FormatException>(() => BlobHash.Parse(text));

        Assert.Contains("not lowercase hex at index 0", error.Message);
    }

    [Fact]
    public void Parse_refuses_a_character_that_is_not_hex_naming_the_index()
    {
        var text = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag";

        var error = Assert.Throws<FormatException>(() => BlobHash.Parse(text));

        Assert.Contains("at index 63", error.Message);
    }

    [Fact]
    public void Parse_refuses_null() =>
        Assert.Throws<ArgumentNullException>(() => BlobHash.Parse(null!));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    public void TryParse_answers_false_for_text_that_is_not_a_hash(string? text) =>
        Assert.False(BlobHash.TryParse(text, out _));

    [Fact]
    public void A_long_bad_input_is_truncated_in_the_message()
    {
        var error = Assert.Throws<FormatException>(() => BlobHash.Parse(new string('z', 1000)));

        Assert.True(error.Message.Length < 200, error.Message);
    }
}
