using System.Security.Cryptography;
using Federated.Chain.Attestations;
using Federated.Chain.Codecs;
using Federated.Chain.TypedData;

namespace Federated.Chain.Tests;

/// <summary>The attestation structs hash their fields directly (AttestationHash) instead of through Nethereum's general
/// EIP-712 encoder; these hold the two byte-identical over many random values, every domain shape the product uses,
/// and the boundary values of each field, and hold the direct path to the same refusals.</summary>
public class AttestationFastPathTests
{
    private const int Cases = 300;

    private static readonly Random Seeded = new(712);

    private static string Text()
    {
        // ASCII, multi-byte UTF-8 and the empty string: the field is keccak of the UTF-8 bytes.
        string[] alphabet = ["a", "Z", "0", "-", " ", "é", "漢", "🚀", "\"", "\\"];
        var length = Seeded.Next(0, 40);
        return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[Seeded.Next(alphabet.Length)]));
    }

    private static long Uint64() => Seeded.Next(4) switch
    {
        0 => 0,
        1 => long.MaxValue,
        2 => Seeded.Next(),
        _ => Seeded.NextInt64(0, long.MaxValue),
    };

    private static int Uint32() => Seeded.Next(3) switch { 0 => 0, 1 => int.MaxValue, _ => Seeded.Next() };

    private static string HashHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static Eip712Domain Domain() => Seeded.Next(3) switch
    {
        0 => FederatedDomain.For(),
        1 => FederatedDomain.For(Seeded.NextInt64(1, long.MaxValue)),
        _ => FederatedDomain.For(Seeded.Next(1, 100_000), new EthereumAddress(RandomNumberGenerator.GetBytes(20))),
    };

    [Fact]
    public void Contribution_digests_equal_the_general_encoder_over_random_values()
    {
        for (var i = 0; i < Cases; i++)
        {
            var hash = HashHex();
            var contribution = new Contribution(Text(), Uint32(), Uint32(), Text(),
                Seeded.Next(2) == 0 ? hash : "0x" + hash.ToUpperInvariant(), HashHex(), Uint64(), Uint64());
            var domain = Domain();
            Assert.Equal(Hex.Encode(contribution.GeneralDigest(domain)), Hex.Encode(contribution.Digest(domain)));
        }
    }

    [Fact]
    public void Registration_digests_equal_the_general_encoder_over_random_values()
    {
        for (var i = 0; i < Cases; i++)
        {
            var registration = new WorkerRegistration(Text(), Text(), Uint64());
            var domain = Domain();
            Assert.Equal(Hex.Encode(registration.GeneralDigest(domain)), Hex.Encode(registration.Digest(domain)));
        }
    }

    [Fact]
    public void Notice_digests_equal_the_general_encoder_over_random_values()
    {
        for (var i = 0; i < Cases; i++)
        {
            var notice = new WorkerNotice(Text(), Text(), Text(), Uint64());
            var domain = Domain();
            Assert.Equal(Hex.Encode(notice.GeneralDigest(domain)), Hex.Encode(notice.Digest(domain)));
        }
    }

    [Fact]
    public void Admin_action_digests_equal_the_general_encoder_over_random_values()
    {
        for (var i = 0; i < Cases; i++)
        {
            var action = new AdminAction(Text(), Text(), RandomNumberGenerator.GetBytes(32), Uint64());
            var domain = Domain();
            Assert.Equal(Hex.Encode(action.GeneralDigest(domain)), Hex.Encode(action.Digest(domain)));
        }
    }

    [Fact]
    public void A_domain_with_a_salt_gives_the_general_digest_too()
    {
        var domain = FederatedDomain.For(5) with { Salt = RandomNumberGenerator.GetBytes(32) };
        var notice = new WorkerNotice("w1", WorkerNotice.Leaving, "", 1764763200);
        Assert.Equal(Hex.Encode(notice.GeneralDigest(domain)), Hex.Encode(notice.Digest(domain)));
        Assert.NotEqual(Hex.Encode(notice.Digest(FederatedDomain.For(5))), Hex.Encode(notice.Digest(domain)));
    }

    [Fact]
    public void Values_that_do_not_fit_are_refused_by_both_paths_naming_the_field()
    {
        var negativeRound = new Contribution("r", -1, 0, "l", HashHex(), HashHex(), 1, 1);
        Assert.Throws<TypedDataException>(() => negativeRound.GeneralDigest(FederatedDomain.For()));
        Assert.Contains("Contribution.round", Assert.Throws<TypedDataException>(() => negativeRound.Digest(FederatedDomain.For())).Message);

        var negativeShard = negativeRound with { Round = 0, ShardId = -5 };
        Assert.Throws<TypedDataException>(() => negativeShard.GeneralDigest(FederatedDomain.For()));
        Assert.Contains("Contribution.shard", Assert.Throws<TypedDataException>(() => negativeShard.Digest(FederatedDomain.For())).Message);

        var shortHash = negativeRound with { Round = 0, BaseModelHash = "abcd" };
        Assert.Contains("baseModelHash", Assert.Throws<TypedDataException>(() => shortHash.Digest(FederatedDomain.For())).Message);

        var negativeTime = new WorkerRegistration("w", "e", -1);
        Assert.Throws<TypedDataException>(() => negativeTime.GeneralDigest(FederatedDomain.For()));
        Assert.Contains("WorkerRegistration.issuedAt", Assert.Throws<TypedDataException>(() => negativeTime.Digest(FederatedDomain.For())).Message);

        var shortPayload = new AdminAction("a", "t", new byte[31], 1);
        Assert.Throws<TypedDataException>(() => shortPayload.GeneralDigest(FederatedDomain.For()));
        Assert.Contains("AdminAction.payloadHash", Assert.Throws<TypedDataException>(() => shortPayload.Digest(FederatedDomain.For())).Message);
    }
}
