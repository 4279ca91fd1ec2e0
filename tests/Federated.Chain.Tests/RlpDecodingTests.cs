using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

public class RlpDecodingTests
{
    private static RlpException Refused(string hex) => Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode(hex)));

    [Fact]
    public void Round_trip_keeps_nested_structure()
    {
        var item = Rlp.Decode(Hex.Decode("0xc88363617483646f67"));
        Assert.Equal(["cat", "dog"], item.Items.Select(i => System.Text.Encoding.ASCII.GetString(i.Bytes)));
    }

    [Fact]
    public void Decoded_items_remember_their_offset() => Assert.Equal(5, Rlp.Decode(Hex.Decode("0xc88363617483646f67")).Items[1].Offset);

    [Fact]
    public void Canonical_integer_reads_back() => Assert.Equal(1024, Rlp.Decode(Hex.Decode("0x820400")).ToBigInteger());

    [Fact]
    public void Empty_input_is_refused() => Assert.Equal("Empty input is not an RLP item (at offset 0)", Refused("0x").Message);

    [Fact]
    public void Truncated_string_is_refused() =>
        Assert.Equal("Declared length 3 runs past the end of the input (2 byte(s) available) (at offset 0)", Refused("0x83646f").Message);

    [Fact]
    public void Truncated_length_field_is_refused() =>
        Assert.Contains("Truncated input: the 2-byte length field runs past the end", Refused("0xb901").Message);

    [Fact]
    public void Truncated_list_is_refused() =>
        Assert.Contains("Declared length 8 runs past the end of the input (4 byte(s) available)", Refused("0xc883636174").Message);

    [Fact]
    public void Item_running_past_its_enclosing_list_is_refused()
    {
        var error = Refused("0xc283646f67");
        Assert.Contains("runs past the end of the enclosing list", error.Message);
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void Oversized_declared_length_is_refused() =>
        Assert.Contains("Declared length 4294967295 runs past the end of the input", Refused("0xbbffffffff00").Message);

    [Fact]
    public void Length_field_wider_than_four_bytes_is_refused() =>
        Assert.Contains("Declared length of 8 bytes is larger than any input", Refused("0xbfffffffffffffffff").Message);

    [Fact]
    public void Single_byte_below_0x80_wrapped_as_string_is_non_canonical() =>
        Assert.Equal("Non-canonical: single byte 0x7f below 0x80 encoded as a string (at offset 0)", Refused("0x817f").Message);

    [Fact]
    public void Leading_zero_in_length_is_non_canonical() =>
        Assert.Contains("Non-canonical: length has a leading zero byte", Refused("0xb90038" + new string('a', 112)).Message);

    [Fact]
    public void Long_form_for_a_short_string_is_non_canonical() =>
        Assert.Contains("Non-canonical: long form used for length 3 (below 56)", Refused("0xb803646f67").Message);

    [Fact]
    public void Long_form_for_a_short_list_is_non_canonical() =>
        Assert.Contains("Non-canonical: long form used for length 3 (below 56)", Refused("0xf803c0c0c0").Message);

    [Fact]
    public void Trailing_bytes_are_refused() =>
        Assert.Equal("1 trailing byte(s) after the RLP item (at offset 1)", Refused("0x8080").Message);

    [Fact]
    public void Absurd_nesting_is_refused()
    {
        var item = RlpItem.List();
        for (var depth = 0; depth < 300; depth++)
            item = RlpItem.List(item);
        Assert.Contains("nested deeper than 256", Refused(Hex.Encode(Rlp.Encode(item))).Message);
    }

    [Fact]
    public void Integer_with_leading_zero_is_non_canonical()
    {
        var error = Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode("0x820001")).ToBigInteger());
        Assert.Contains("leading zero byte", error.Message);
    }

    [Fact]
    public void Reading_a_list_as_a_string_names_the_mismatch()
    {
        var error = Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode("0xc0")).Bytes);
        Assert.Equal("Expected an RLP string but found a list (at offset 0)", error.Message);
    }
}
