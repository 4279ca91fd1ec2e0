using Federated.Chain.Codecs;
using Federated.Chain.Hashing;

namespace Federated.Chain.Tests;

public class Keccak256Tests
{
    [Fact]
    public void Empty_input_hashes_to_the_known_keccak_not_sha3() =>
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak256.Hash([])));

    [Fact]
    public void Transfer_event_signature_hashes_to_the_erc20_topic() =>
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            Hex.Encode(Keccak256.HashUtf8("Transfer(address,address,uint256)")));

    [Fact]
    public void Hashing_parts_equals_hashing_their_concatenation() =>
        Assert.Equal(Keccak256.Hash([1, 2, 3, 4]), Keccak256.HashConcat([1, 2], [], [3, 4]));

    public static TheoryData<int> Vectors => CastVectors.Indices("keccak");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Matches_cast_keccak(int index)
    {
        var vector = CastVectors.Case("keccak", index);
        var hash = vector.TryGetProperty("text", out var text)
            ? Keccak256.HashUtf8(text.GetString()!)
            : Keccak256.Hash(vector.Bytes("hex"));
        Assert.Equal(vector.Text("hash"), Hex.Encode(hash));
    }
}
