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
        Assert.Equal("(uint256,address[],bytes32)[3],int256[2][]", AbiCodec.CanonicalList(AbiCodec.ParseTypes("(uint,address[],bytes32)[3], int[2][]")));

    [Fact]
    public void A_multi_dimensional_array_of_tuples_is_refused_rather_than_losing_a_dimension() =>
        Assert.Contains("multi-dimensional arrays of tuples are not supported", Assert.Throws<AbiException>(() => AbiCodec.ParseTypes("(uint256,bool)[3][]")).Message);

    [Fact]
    public void Negative_uint_is_refused() =>
        Assert.Contains("Type: 'uint256', Value: '-1': the value does not fit the type", Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256", -1)).Message);

    [Fact]
    public void Uint256_above_max_is_refused() =>
        Assert.Contains("Type: 'uint256', Value: '115792089237316195423570985008687907853269984665640564039457584007913129639936': the value does not fit",
            Assert.Throws<AbiException>(() => AbiCodec.Encode("uint256", BigInteger.One << 256)).Message);

    [Fact]
    public void Uint8_above_255_is_refused() =>
        Assert.Contains("Type: 'uint8', Value: '256'", Assert.Throws<AbiException>(() => AbiCodec.Encode("uint8", 256)).Message);

    [Fact]
    public void Int8_below_range_is_refused() =>
        Assert.Contains("Type: 'int8', Value: '-129'", Assert.Throws<AbiException>(() => AbiCodec.Encode("int8", -129)).Message);

    [Fact]
    public void Int8_at_its_bounds_encodes_as_two_s_complement() =>
        Assert.Equal("0x" + new string('f', 62) + "80" + new string('0', 62) + "7f", Hex.Encode(AbiCodec.Encode("int8,int8", -128, 127)));

    [Fact]
    public void Wrong_clr_type_names_what_was_expected() =>
        Assert.Equal("bool expects a bool, got String.", Assert.Throws<AbiException>(() => AbiCodec.Encode("bool", "yes")).Message);

    [Fact]
    public void Address_text_with_a_bad_checksum_is_refused() =>
        Assert.Contains("has an invalid EIP-55 checksum",
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
    [InlineData("int264", "int264 is not a valid type")]
    [InlineData("bytes33", "\"bytes33\" is not a list of ABI types")]
    [InlineData("bytes0", "bytes0 is not a valid type")]
    [InlineData("float", "\"float\" is not a list of ABI types")]
    [InlineData("uint256[", "\"uint256[\" is not a list of ABI types")]
    [InlineData("(uint256", "\"(uint256\" is not a list of ABI types")]
    [InlineData("()", "\"()\" is not a list of ABI types")]
    [InlineData("uint256,", "\"uint256,\" is not a list of ABI types")]
    public void Bad_type_names_are_refused(string type, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<AbiException>(() => AbiCodec.ParseTypes(type)).Message);

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
        var values = AbiJson.ToValues(function.Parameters, vector.GetProperty("values"));
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
