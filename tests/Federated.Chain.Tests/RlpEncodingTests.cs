using System.Text;
using System.Text.Json;
using Federated.Chain.Codecs;
using Nethereum.RLP;

namespace Federated.Chain.Tests;

/// <summary>Examples from the Ethereum wiki / yellow paper appendix B, then cast's vectors: acceptance tests of the
/// RLP our transactions are encoded with, Nethereum.RLP's. An item is a byte string or a list of items.</summary>
public class RlpEncodingTests
{
    private abstract record Item;
    private sealed record Bytes(byte[] Value) : Item;
    private sealed record Items(Item[] Value) : Item;

    private static Item Str(string text) => new Bytes(Encoding.UTF8.GetBytes(text));

    private static Item List(params Item[] items) => new Items(items);

    private static byte[] EncodeBytes(Item item) => item switch
    {
        Bytes b => RLP.EncodeElement(b.Value),
        Items l => RLP.EncodeList(l.Value.Select(EncodeBytes).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static string Encode(Item item) => Hex.Encode(EncodeBytes(item));

    private static byte[] EncodeInteger(System.Numerics.BigInteger value) => RLP.EncodeElement(value.ToBytesForRLPEncoding());

    [Fact]
    public void Dog_is_a_short_string() => Assert.Equal("0x83646f67", Encode(Str("dog")));

    [Fact]
    public void Cat_dog_list_is_a_short_list() => Assert.Equal("0xc88363617483646f67", Encode(List(Str("cat"), Str("dog"))));

    [Fact]
    public void Empty_string_is_0x80() => Assert.Equal("0x80", Encode(new Bytes([])));

    [Fact]
    public void Empty_list_is_0xc0() => Assert.Equal("0xc0", Encode(List()));

    [Fact]
    public void Integer_zero_is_the_empty_string() => Assert.Equal("0x80", Hex.Encode(EncodeInteger(0)));

    [Fact]
    public void Byte_zero_is_itself() => Assert.Equal("0x00", Encode(new Bytes([0x00])));

    [Fact]
    public void Integer_15_is_a_single_byte() => Assert.Equal("0x0f", Hex.Encode(EncodeInteger(15)));

    [Fact]
    public void Integer_1024_is_two_bytes_without_leading_zeros() => Assert.Equal("0x820400", Hex.Encode(EncodeInteger(1024)));

    [Fact]
    public void Byte_0x80_needs_a_string_header() => Assert.Equal("0x8180", Encode(new Bytes([0x80])));

    [Fact]
    public void Set_theoretic_three_is_nested_lists()
    {
        var empty = List();
        var one = List(empty);
        var three = List(empty, one, List(empty, one));
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
        Assert.Equal(0xb7, EncodeBytes(new Bytes(new byte[55]))[0]);

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
        var decoded = FromLibrary(RLP.Decode(vector.Bytes("encoded")));
        Assert.Equal(Encode(FromJson(vector.GetProperty("decodedByCast"))), Encode(decoded));
    }

    private static Item FromJson(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? new Items(value.EnumerateArray().Select(FromJson).ToArray())
        : new Bytes(Hex.Decode(value.GetString()!));

    private static Item FromLibrary(IRLPElement element) => element is RLPCollection list
        ? new Items(list.Select(FromLibrary).ToArray())
        : new Bytes(element.RLPData ?? []);
}
