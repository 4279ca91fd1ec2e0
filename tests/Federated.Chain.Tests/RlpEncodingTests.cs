using System.Text;
using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

/// <summary>Examples from the Ethereum wiki / yellow paper appendix B, then cast's vectors.</summary>
public class RlpEncodingTests
{
    private static RlpItem Str(string text) => RlpItem.String(text);

    private static string Encode(RlpItem item) => Hex.Encode(Rlp.Encode(item));

    [Fact]
    public void Dog_is_a_short_string() => Assert.Equal("0x83646f67", Encode(Str("dog")));

    [Fact]
    public void Cat_dog_list_is_a_short_list() => Assert.Equal("0xc88363617483646f67", Encode(RlpItem.List(Str("cat"), Str("dog"))));

    [Fact]
    public void Empty_string_is_0x80() => Assert.Equal("0x80", Encode(RlpItem.String([])));

    [Fact]
    public void Empty_list_is_0xc0() => Assert.Equal("0xc0", Encode(RlpItem.List()));

    [Fact]
    public void Integer_zero_is_the_empty_string() => Assert.Equal("0x80", Hex.Encode(Rlp.EncodeInteger(0)));

    [Fact]
    public void Byte_zero_is_itself() => Assert.Equal("0x00", Encode(RlpItem.String([0x00])));

    [Fact]
    public void Integer_15_is_a_single_byte() => Assert.Equal("0x0f", Hex.Encode(Rlp.EncodeInteger(15)));

    [Fact]
    public void Integer_1024_is_two_bytes_without_leading_zeros() => Assert.Equal("0x820400", Hex.Encode(Rlp.EncodeInteger(1024)));

    [Fact]
    public void Byte_0x80_needs_a_string_header() => Assert.Equal("0x8180", Encode(RlpItem.String([0x80])));

    [Fact]
    public void Set_theoretic_three_is_nested_lists()
    {
        var empty = RlpItem.List();
        var one = RlpItem.List(empty);
        var three = RlpItem.List(empty, one, RlpItem.List(empty, one));
        Assert.Equal("0xc7c0c1c0c3c0c1c0", Encode(three));
    }

    [Fact]
    public void A_56_byte_string_uses_the_long_form()
    {
        var lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
        Assert.Equal(56, lorem.Length);
        Assert.Equal("0xb838" + Hex.Encode(Encoding.ASCII.GetBytes(lorem), prefix: false), Encode(Str(lorem)));
    }

    [Fact]
    public void A_55_byte_string_still_uses_the_short_form() =>
        Assert.Equal(0xb7, Rlp.Encode(RlpItem.String(new byte[55]))[0]);

    [Fact]
    public void Negative_integers_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rlp.EncodeInteger(-1));

    public static TheoryData<int> Vectors => CastVectors.Indices("rlp");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encoding_matches_cast_to_rlp(int index)
    {
        var vector = CastVectors.Case("rlp", index);
        Assert.Equal(vector.Text("encoded"), Encode(FromJson(vector.GetProperty("value"))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decoding_matches_cast_from_rlp(int index)
    {
        var vector = CastVectors.Case("rlp", index);
        var decoded = Rlp.Decode(vector.Bytes("encoded"));
        Assert.Equal(FromJson(vector.GetProperty("decodedByCast")).ToString(), decoded.ToString());
    }

    private static RlpItem FromJson(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? RlpItem.List(value.EnumerateArray().Select(FromJson))
        : RlpItem.String(Hex.Decode(value.GetString()!));
}
