using System.Text;
using Federated.Chain.Attestations;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.Tests;

/// <summary>The EIP-712 structs Federated signs. Digests are known answers from tools/typed_data_vectors.py (the
/// encoding written out by hand, an independent Keccak): a change to a struct breaks them, as it would break every
/// signature already made and the reward contract that checks them.</summary>
public class AttestationTests
{
    private const string H1 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string H2 = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    private static readonly Contribution Sample = new("20261203-120000-abc123", 3, 7, "5f0c2e", H1, H2, 320, 1764763200);

    [Fact]
    public void The_federated_domain_separator_matches_the_independent_encoding() =>
        Assert.Equal("0xbfca689d29b30c55dd0887c6add1f936f7cf15c655bf3b80fc40f9d170266aa9", Hex.Encode(FederatedDomain.For().Separator()));

    [Fact]
    public void The_contribution_digest_matches_the_independent_encoding() =>
        Assert.Equal("0x6dbae44f783d2257405617f2801a38329b98f7c2300e2b7d638b77f6fe40ec70", Hex.Encode(Sample.Digest(FederatedDomain.For())));

    [Fact]
    public void The_registration_digest_matches_the_independent_encoding() =>
        Assert.Equal("0x0c21d51e20d1c65ea786975070915d4ac754b405b720cc0fde19291d2387ed53",
            Hex.Encode(new WorkerRegistration("worker-1", "queue:fed-worker-worker-1", 1764763200).Digest(FederatedDomain.For())));

    [Fact]
    public void The_admin_action_digest_matches_the_independent_encoding() =>
        Assert.Equal("0xf6b1b250fccba971fbf5ae54f2a3aef726b7c8ffdc67bc173d1525ec05ab0913",
            Hex.Encode(AdminAction.For(AdminAction.LaunchRun, "req-1", Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), 1764763200).Digest(FederatedDomain.For())));

    [Fact]
    public void A_contribution_signed_for_one_chain_does_not_recover_to_its_signer_on_another()
    {
        var key = Keccak256.HashUtf8("worker");
        var signature = Secp256k1.Sign(Sample.Digest(FederatedDomain.For(1)), key);

        Assert.NotEqual(EthSigner.AddressOf(key), EthSigner.RecoverAddress(Sample.Digest(FederatedDomain.For(31337)), signature));
    }

    [Fact]
    public void Signature_check_names_a_high_s_copy()
    {
        var key = Keccak256.HashUtf8("worker");
        var digest = Sample.Digest(FederatedDomain.For());
        var signature = Secp256k1.Sign(digest, key);
        var high = new EcdsaSignature(signature.R, Secp256k1.N - signature.S, 1 - signature.YParity);

        Assert.Equal((EthSigner.AddressOf(key), (SignatureFault?)null), (SignatureCheck.Verify(digest, signature.ToHex()).Signer, SignatureCheck.Verify(digest, signature.ToHex()).Fault));
        Assert.Equal(SignatureFault.HighS, SignatureCheck.Verify(digest, high.ToHex()).Fault);
    }

    [Theory]
    [InlineData("", SignatureFault.Missing)]
    [InlineData("0x1234", SignatureFault.Malformed)]
    [InlineData("zz", SignatureFault.Malformed)]
    public void Signature_check_names_what_is_wrong(string signature, SignatureFault fault) =>
        Assert.Equal(fault, SignatureCheck.Verify(Sample.Digest(FederatedDomain.For()), signature).Fault);
}
