using System.Numerics;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

public class AbiEncodingTests
{
    private static readonly EthereumAddress One = EthereumAddress.Parse("0x0000000000000000000000000000000000000001");

    [Fact]
    public void Transfer_selector_is_the_erc20_one() => Assert.Equal("0xa9059cbb", Hex.Encode(AbiCodec.FunctionSelector("transfer(address,uint256)")));

    [Fact]
    public void Uint_alias_is_canonicalized_before_hashing() =>
        Assert.Equal("transfer(address,uint256)", AbiFunction.Parse("transfer(address, uint)").Signature);

    [Fact]
    public void Transfer_event_topic_is_keccak_of_the_signature() =>
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            Hex.Encode(AbiCodec.EventTopic("Transfer(address,address,uint256)")));

    [Fact]
    public void Calldata_is_selector_then_arguments() =>
        Assert.Equal("0xa9059cbb" + "0000000000000000000000000000000000000000000000000000000000000001" +
                     "000000000000000000000000000000000000000000000000000000000000000a",
            Hex.Encode(AbiFunction.Parse("transfer(address,uint256)").EncodeCall(One, 10)));

    [Fact]
    public void Dynamic_values_go_to_the_tail_behind_offsets()
    {
        var encoded = AbiCodec.Encode("uint256,string", 1, "hi");
        Assert.Equal(
            "0x0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "6869000000000000000000000000000000000000000000000000000000000000",
            Hex.Encode(encoded));
    }

    [Fact]
    public void Type_names_parse_into_canonical_form() =>
        Assert.Equal("(uint256,address[],bytes32)[3][]", AbiType.Parse("(uint,address[],bytes32)[3][]").CanonicalName);

    [Fact]
    public void Negative_uint_is_refused() =>
        Assert.Equal("uint256 cannot hold the negative value -1.", Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256", -1)).Message);

    [Fact]
    public void Uint256_above_max_is_refused()
    {
        var error = Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256", BigInteger.One << 256));
        Assert.Contains("the maximum is 2^256-1", error.Message);
    }

    [Fact]
    public void Uint8_above_255_is_refused() =>
        Assert.Contains("uint8 cannot hold 256", Assert.Throws<AbiException>(() => AbiCodec.Encode("uint8", 256)).Message);

    [Fact]
    public void Int8_below_range_is_refused() =>
        Assert.Contains("int8 cannot hold -129", Assert.Throws<AbiException>(() => AbiCodec.Encode("int8", -129)).Message);

    [Fact]
    public void Wrong_clr_type_names_what_was_expected() =>
        Assert.Equal("bool expects a bool, got String.", Assert.Throws<AbiException>(() => AbiCodec.Encode("bool", "yes")).Message);

    [Fact]
    public void Address_text_with_a_bad_checksum_is_refused() =>
        Assert.Contains("valid checksum if mixed-case",
            Assert.Throws<AbiException>(() => AbiCodec.Encode("address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")).Message);

    [Fact]
    public void Bytes32_of_the_wrong_length_is_refused() =>
        Assert.Contains("bytes32 expects exactly 32 bytes, got 31", Assert.Throws<AbiException>(() => AbiCodec.Encode("bytes32", new byte[31])).Message);

    [Fact]
    public void Fixed_array_with_the_wrong_count_is_refused() =>
        Assert.Contains("uint256[2] needs exactly 2 element(s), got 3",
            Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256[2]", [new object[] { 1, 2, 3 }])).Message);

    [Fact]
    public void Value_count_must_match_type_count() =>
        Assert.Contains("2 type(s) but 1 value(s)", Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256,bool", 1)).Message);

    [Theory]
    [InlineData("uint7", "uint7 is not a valid type")]
    [InlineData("bytes33", "bytes33 is not a valid type")]
    [InlineData("float", "unknown type \"float\"")]
    [InlineData("uint256[", "unterminated array suffix")]
    [InlineData("(uint256", "unterminated tuple")]
    [InlineData("uint256[100000000][100]", "is too large")]
    public void Bad_type_names_are_refused(string type, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<AbiException>(() => AbiType.Parse(type)).Message);

    public static TheoryData<int> Vectors => CastVectors.Indices("abi");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encoding_matches_cast_abi_encode(int index)
    {
        var vector = CastVectors.Case("abi", index);
        var types = AbiJson.Types(vector.GetProperty("types"));
        var values = AbiJson.ToValues(types, vector.GetProperty("values"));
        Assert.Equal(vector.Text("encoded"), Hex.Encode(AbiCodec.Encode(types, values)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decoding_cast_abi_encode_output_gives_back_the_values(int index)
    {
        var vector = CastVectors.Case("abi", index);
        var types = AbiJson.Types(vector.GetProperty("types"));
        var expected = AbiJson.ToValues(types, vector.GetProperty("values"));
        Assert.Equal(AbiJson.Describe(expected), AbiJson.Describe(AbiCodec.Decode(types, vector.Bytes("encoded"))));
    }

    public static TheoryData<int> Calls => CastVectors.Indices("calls");

    [Theory]
    [MemberData(nameof(Calls))]
    public void Calldata_matches_cast_calldata(int index)
    {
        var vector = CastVectors.Case("calls", index);
        var function = AbiFunction.Parse(vector.Text("signature"));
        var values = AbiJson.ToValues(function.Parameters.Components, vector.GetProperty("values"));
        Assert.Equal(vector.Text("selector"), Hex.Encode(function.Selector));
        Assert.Equal(vector.Text("calldata"), Hex.Encode(function.EncodeCall(values)));
        Assert.Equal(AbiJson.Describe(values), AbiJson.Describe(function.DecodeCall(vector.Bytes("calldata"))));
    }

    public static TheoryData<int> Topics => CastVectors.Indices("eventTopics");

    [Theory]
    [MemberData(nameof(Topics))]
    public void Event_topic_matches_cast_sig_event(int index)
    {
        var vector = CastVectors.Case("eventTopics", index);
        Assert.Equal(vector.Text("topic"), Hex.Encode(AbiCodec.EventTopic(vector.Text("signature"))));
    }
}
