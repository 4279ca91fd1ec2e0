using System.Numerics;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

/// <summary>Decoding through Nethereum.ABI, with what our layer adds: data shorter than the arguments' head is refused
/// (the library alone reads zeros there), and every library refusal is an <see cref="AbiException"/> naming the types.
/// The library does not check dirty high bits, bool values other than 0/1, UTF-8 or the offsets of bytes and strings;
/// nothing in src/ takes a decision on such values from a node (docs/architecture.md, "Chain").</summary>
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
    public void Tuple_array_round_trips_as_nested_value_arrays()
    {
        object?[] value = [new object?[] { new BigInteger(5), true, "x" }, new object?[] { BigInteger.Zero, false, "" }];
        var decoded = AbiCodec.Decode("(uint256,bool,string)[]", AbiCodec.Encode("(uint256,bool,string)[]", [value]));
        Assert.Equal("[[5,true,\"x\"],[0,false,\"\"]]", AbiJson.Describe(decoded[0]));
    }

    [Fact]
    public void Trailing_data_after_the_arguments_is_ignored_like_the_evm_does() =>
        Assert.Equal(new BigInteger(7), AbiCodec.Decode("uint256", Data(W(7), W(99)))[0]);

    [Fact]
    public void Short_data_is_refused_where_the_library_alone_would_read_zeros() =>
        Assert.Equal("(uint256,uint256) needs 64 bytes but only 32 remain.", Refused("uint256,uint256", Data(W(1))).Message);

    [Fact]
    public void Partial_word_is_refused() =>
        Assert.Contains("needs 32 bytes but only 31 remain", Refused("uint256", new byte[31]).Message);

    [Fact]
    public void Empty_data_for_a_view_result_is_refused() =>
        Assert.Contains("(bytes32) needs 32 bytes but only 0 remain", Refused("bytes32", []).Message);

    [Fact]
    public void Fixed_array_of_dynamic_elements_beyond_the_data_is_refused() =>
        Assert.StartsWith("Data of 64 bytes does not decode as (string[1000]):", Refused("string[1000]", Data(W(0x20), W(0))).Message);

    [Fact]
    public void Huge_offset_is_refused_without_overflow_escaping() =>
        Assert.StartsWith("Data of 32 bytes does not decode as (uint256[]):", Refused("uint256[]", Data(W(BigInteger.Pow(2, 255)))).Message);

    [Fact]
    public void Huge_array_length_is_refused_before_allocating() =>
        Assert.StartsWith("Data of 64 bytes does not decode as (uint256[]):", Refused("uint256[]", Data(W(0x20), W(BigInteger.Pow(2, 255)))).Message);

    [Fact]
    public void Array_length_beyond_the_data_is_refused() =>
        Assert.StartsWith("Data of 128 bytes does not decode as (uint256[]):", Refused("uint256[]", Data(W(0x20), W(3), W(1), W(2))).Message);

    [Fact]
    public void Negative_int_decodes_from_sign_extension() =>
        Assert.Equal(new BigInteger(-2), AbiCodec.Decode("int16", Data(new string('f', 63) + "e"))[0]);

    [Fact]
    public void Bytes_and_fixed_bytes_decode_to_their_own_lengths()
    {
        var decoded = AbiCodec.Decode("bytes4,bytes", AbiCodec.Encode("bytes4,bytes", Hex.Decode("0xdeadbeef"), Hex.Decode("0x0102")));
        Assert.Equal(("0xdeadbeef", "0x0102"), (Hex.Encode((byte[])decoded[0]!), Hex.Encode((byte[])decoded[1]!)));
    }

    [Fact]
    public void Calldata_with_another_selector_is_refused() =>
        Assert.Contains("does not start with the selector of transfer(address,uint256)",
            Assert.Throws<AbiException>(() => AbiFunction.Parse("transfer(address,uint256)").DecodeCall(Hex.Decode("0x095ea7b3"))).Message);
}
