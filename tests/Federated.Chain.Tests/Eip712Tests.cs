using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Chain.TypedData;

namespace Federated.Chain.Tests;

public class Eip712Tests
{
    // The "Mail" example published with EIP-712.
    private static readonly Dictionary<string, IReadOnlyList<Eip712Field>> MailTypes = new()
    {
        ["Person"] = [new("name", "string"), new("wallet", "address")],
        ["Mail"] = [new("from", "Person"), new("to", "Person"), new("contents", "string")],
    };

    private static readonly Eip712Domain MailDomain = new()
    {
        Name = "Ether Mail",
        Version = "1",
        ChainId = 1,
        VerifyingContract = EthereumAddress.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"),
    };

    private static readonly Dictionary<string, object?> Mail = new()
    {
        ["from"] = new Dictionary<string, object?> { ["name"] = "Cow", ["wallet"] = EthereumAddress.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826") },
        ["to"] = new Dictionary<string, object?> { ["name"] = "Bob", ["wallet"] = EthereumAddress.Parse("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB") },
        ["contents"] = "Hello, Bob!",
    };

    private static BigInteger Scalar(string hex) => new(Hex.Decode(hex), isUnsigned: true, isBigEndian: true);

    [Fact]
    public void Mail_domain_separator_matches_the_eip() =>
        Assert.Equal("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Hex.Encode(MailDomain.Separator()));

    [Fact]
    public void Mail_hash_struct_matches_the_eip() =>
        Assert.Equal("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", Hex.Encode(Eip712.HashStruct("Mail", MailTypes, Mail)));

    [Fact]
    public void Mail_digest_matches_the_eip() =>
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Hex.Encode(Eip712.Digest(MailDomain, "Mail", MailTypes, Mail)));

    [Fact]
    public void Mail_signature_by_cow_matches_the_eip()
    {
        var signature = Eip712.Sign(MailDomain, "Mail", MailTypes, Mail, Keccak256.HashUtf8("cow"));
        Assert.Equal(28, signature.V);
        Assert.Equal(Scalar("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"), signature.R);
        Assert.Equal(Scalar("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"), signature.S);
    }

    [Fact]
    public void Missing_field_value_is_refused() =>
        Assert.Equal("Mail value has no field \"contents\".",
            Assert.Throws<TypedDataException>(() => Eip712.HashStruct("Mail", MailTypes, Mail.Where(p => p.Key != "contents").ToDictionary())).Message);

    [Fact]
    public void Undeclared_field_value_is_refused() =>
        Assert.Contains("field \"cc\" that its type does not declare",
            Assert.Throws<TypedDataException>(() => Eip712.HashStruct("Mail", MailTypes, new Dictionary<string, object?>(Mail) { ["cc"] = "x" })).Message);

    [Fact]
    public void Undefined_struct_type_is_refused() =>
        Assert.Equal("Mail.from has unknown type \"Human\": not a struct in the types, nor an atomic type.",
            Assert.Throws<TypedDataException>(() => Eip712.HashStruct("Mail",
                new Dictionary<string, IReadOnlyList<Eip712Field>> { ["Mail"] = [new("from", "Human")] },
                new Dictionary<string, object?> { ["from"] = "x" })).Message);

    [Fact]
    public void Out_of_range_integer_names_the_field() =>
        Assert.StartsWith("Item.id (uint8): uint8 cannot hold 300",
            Assert.Throws<TypedDataException>(() => Eip712.HashStruct("Item",
                new Dictionary<string, IReadOnlyList<Eip712Field>> { ["Item"] = [new("id", "uint8")] },
                new Dictionary<string, object?> { ["id"] = 300 })).Message);

    [Fact]
    public void Domain_type_in_json_must_match_the_domain_fields()
    {
        var node = JsonNode.Parse(CastVectors.Case("eip712", 0).GetProperty("typedData").GetRawText())!;
        node["domain"]!.AsObject().Remove("name");
        var json = node.ToJsonString();
        Assert.Contains("EIP712Domain in types must list the domain's fields",
            Assert.Throws<TypedDataException>(() => Eip712TypedData.FromJson(json)).Message);
    }

    public static TheoryData<int> Vectors => CastVectors.Indices("eip712");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signature_matches_cast_wallet_sign_data(int index)
    {
        var vector = CastVectors.Case("eip712", index);
        var typedData = Eip712TypedData.FromJson(vector.GetProperty("typedData").GetRawText());
        Assert.Equal(vector.Text("signature"), typedData.Sign(vector.Bytes("privateKey")).ToHex());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Cast_signature_recovers_to_the_signer_over_our_digest(int index)
    {
        var vector = CastVectors.Case("eip712", index);
        var digest = Eip712TypedData.FromJson(vector.GetProperty("typedData").GetRawText()).Digest();
        var signature = EcdsaSignature.FromBytes(vector.Bytes("signature"));
        Assert.Equal(EthSigner.AddressOf(vector.Bytes("privateKey")), EthSigner.RecoverAddress(digest, signature));
    }

    [Fact]
    public void Json_mail_example_gives_the_eip_digest() =>
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            Hex.Encode(Eip712TypedData.FromJson(CastVectors.Case("eip712", 0).GetProperty("typedData").GetRawText()).Digest()));

    [Fact]
    public void Malformed_json_is_refused() =>
        Assert.StartsWith("Typed data is not valid JSON:", Assert.Throws<TypedDataException>(() => Eip712TypedData.FromJson("{\"types\":")).Message);

    [Fact]
    public void Json_without_a_message_is_refused() =>
        Assert.Equal("Typed data JSON is missing \"message\".",
            Assert.Throws<TypedDataException>(() => Eip712TypedData.FromJson(JsonSerializer.Serialize(new { types = new { }, primaryType = "X", domain = new { } }))).Message);
}
