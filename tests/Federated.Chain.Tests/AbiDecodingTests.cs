using System.Numerics;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

public class AbiDecodingTests
{
    private static string W(BigInteger value) => value.ToString("x").TrimStart('0').PadLeft(64, '0');

    private static byte[] Data(params string[] words) => Hex.Decode(string.Concat(words));

    private static AbiException Refused(string types, byte[] data) => Assert.Throws<AbiException>(() => AbiCodec.Decode(types, data));

    [Fact]
    public void Address_array_round_trips()
    {
        var addresses = new[] { EthereumAddress.Parse("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), EthereumAddress.Zero };
        var decoded = AbiCodec.Decode("address[]", AbiCodec.Encode("address[]", [addresses]));
        Assert.Equal(addresses, (object?[])decoded[0]!);
    }

    [Fact]
    public void Trailing_data_after_the_arguments_is_ignored_like_the_evm_does() =>
        Assert.Equal(new BigInteger(7), AbiCodec.Decode("uint256", Data(W(7), W(99)))[0]);

    [Fact]
    public void Short_data_is_refused() =>
        Assert.Contains("needs 64 bytes but only 32 remain", Refused("uint256,uint256", Data(W(1))).Message);

    [Fact]
    public void Fixed_array_of_dynamic_elements_beyond_the_data_is_refused() =>
        Assert.Equal("string[1000] at offset 32 needs 32000 bytes but only 32 remain.",
            Refused("string[1000]", Data(W(0x20), W(0))).Message);

    [Fact]
    public void Partial_word_is_refused() =>
        Assert.Contains("needs 32 bytes but only 31 remain", Refused("uint256", new byte[31]).Message);

    [Fact]
    public void Offset_past_the_end_is_refused() =>
        Assert.Equal("Offset 4096 for bytes (at offset 0) points past the end of the data (32 bytes).",
            Refused("bytes", Data(W(0x1000))).Message);

    [Fact]
    public void Offset_leaving_no_room_for_the_length_is_refused() =>
        Assert.Contains("leaves no room for its length word", Refused("string", Data(W(0x20))).Message);

    [Fact]
    public void Huge_offset_is_refused_without_overflow() =>
        Assert.Contains("points past the end of the data", Refused("uint256[]", Data(W(BigInteger.Pow(2, 255)))).Message);

    [Fact]
    public void Huge_array_length_is_refused_before_allocating() =>
        Assert.Contains("declares length 57896044618658097711785492504343953926634992332820282019728792003956564819968",
            Refused("uint256[]", Data(W(0x20), W(BigInteger.Pow(2, 255)))).Message);

    [Fact]
    public void Array_length_beyond_the_data_is_refused() =>
        Assert.Equal("uint256[] at offset 32 declares length 3, needing 96 bytes, but only 64 remain.",
            Refused("uint256[]", Data(W(0x20), W(3), W(1), W(2))).Message);

    [Fact]
    public void Bytes_length_beyond_the_data_is_refused() =>
        Assert.Contains("bytes at offset 32 declares length 100, needing 100 bytes, but only 32 remain",
            Refused("bytes", Data(W(0x20), W(100), W(0))).Message);

    [Fact]
    public void Bytes_without_their_padding_are_refused() =>
        Assert.Contains("needs 32 bytes but the data ends first", Refused("bytes", Hex.Decode(W(0x20) + W(2) + "abcd")).Message);

    [Fact]
    public void Non_zero_padding_after_bytes_is_refused() =>
        Assert.Contains("non-zero padding after its 2 bytes", Refused("bytes", Data(W(0x20), W(2), "abcd" + new string('0', 58) + "01")).Message);

    [Fact]
    public void Address_with_dirty_high_bits_is_refused() =>
        Assert.Equal("address at offset 0 has dirty high bits: the first 12 bytes must be zero.",
            Refused("address", Data("01" + new string('0', 62))).Message);

    [Fact]
    public void Bool_other_than_zero_or_one_is_refused() =>
        Assert.Equal("bool at offset 0 is neither 0 nor 1 (dirty bits).", Refused("bool", Data(W(2))).Message);

    [Fact]
    public void Uint8_with_dirty_high_bits_is_refused() =>
        Assert.Equal("uint8 at offset 32 has dirty high bits: 256 exceeds 2^8-1.", Refused("uint256,uint8", Data(W(1), W(256))).Message);

    [Fact]
    public void Int8_not_sign_extended_is_refused() =>
        Assert.Contains("int8 at offset 0 is not sign-extended", Refused("int8", Data(W(0xff))).Message);

    [Fact]
    public void Negative_int_decodes_from_sign_extension() =>
        Assert.Equal(new BigInteger(-2), AbiCodec.Decode("int16", Data(new string('f', 63) + "e"))[0]);

    [Fact]
    public void Bytes4_with_dirty_low_bits_is_refused() =>
        Assert.Contains("bytes4 at offset 0 has dirty low bits", Refused("bytes4", Data("deadbeef01" + new string('0', 54))).Message);

    [Fact]
    public void Invalid_utf8_string_is_refused() =>
        Assert.Contains("string at offset 32 is not valid UTF-8", Refused("string", Data(W(0x20), W(1), "ff" + new string('0', 62))).Message);

    [Fact]
    public void Offsets_reusing_one_tail_cannot_inflate_the_output()
    {
        // An outer array of 200 offsets that all point at the same 200-element inner array: 400 words of data
        // that would decode into 40,000 values.
        const int count = 200;
        var innerOffset = W(32 * count);
        var words = new List<string> { W(0x20), W(count) };
        words.AddRange(Enumerable.Repeat(innerOffset, count));
        words.Add(W(count));
        words.AddRange(Enumerable.Repeat(W(1), count));
        Assert.Contains("reads far more words than the data holds", Refused("uint256[][]", Data([.. words])).Message);
    }

    [Fact]
    public void Calldata_with_another_selector_is_refused() =>
        Assert.Contains("does not start with the selector of transfer(address,uint256)",
            Assert.Throws<AbiException>(() => AbiFunction.Parse("transfer(address,uint256)").DecodeCall(Hex.Decode("0x095ea7b3"))).Message);
}
