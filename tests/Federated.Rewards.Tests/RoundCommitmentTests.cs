using System.Numerics;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Rpc.Tests;

namespace Federated.Rewards.Tests;

/// <summary>The commitment's bytes, checked against anvil's own keccak (web3_sha3) over payout words packed by hand as hex
/// text, and the verifier's view of log against chain.</summary>
public sealed class RoundCommitmentTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private async Task<string> NodeKeccakAsync(string hex) => (await anvil.Client.RequestAsync("web3_sha3", [hex])).GetString()!;

    [Fact]
    public async Task The_payout_list_hash_is_keccak_of_the_packed_words_as_payRound_receives_them()
    {
        var alice = EthereumAddress.Parse("0x00000000000000000000000000000000000a11ce");
        var bob = EthereumAddress.Parse("0x0000000000000000000000000000000000000b0b");
        // amount << 160 | recipient: 24 hex digits of amount, then the 40 of the address.
        var packed = "0x" + "00000000000000000000012c" + "00000000000000000000000000000000000a11ce"
                          + "0000000000000000000000ff" + "0000000000000000000000000000000000000b0b";

        var ours = RoundCommitment.PayoutListHash([new Payout(alice, 300), new Payout(bob, 255)]);

        Assert.Equal(await NodeKeccakAsync(packed), Hex.Encode(ours));
    }

    [Fact]
    public async Task The_commitment_is_keccak_of_segment_hash_then_payout_list_hash()
    {
        var segment = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var list = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();

        Assert.Equal(await NodeKeccakAsync(Hex.Encode([.. segment, .. list])), Hex.Encode(RoundCommitment.Of(segment, list)));
    }

    [Fact]
    public async Task The_chain_round_id_is_keccak_of_run_and_round()
    {
        var text = "federated/run-7/round/3";

        Assert.Equal(await NodeKeccakAsync(Hex.Encode(System.Text.Encoding.UTF8.GetBytes(text))), RoundCommitment.ToHex(RoundCommitment.ChainRoundId("run-7", 3)));
    }

    [Fact]
    public async Task The_verifier_finds_a_paid_round_equal_on_chain()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "verify-ok");
        await new RoundPayer(s.Store, s.Processor(), s.Workers).PayAsync((await s.RecordRunAsync())[0]);

        var check = Assert.Single(await CommitmentVerifier.VerifyAsync(s.Store, s.Distributor));

        Assert.Equal((true, check.Commitment), (check.Ok, check.OnChain));
    }

    [Fact]
    public async Task The_verifier_reports_a_round_the_chain_holds_with_another_commitment()
    {
        await using var paid = await PayoutScenario.CreateAsync(anvil, "verify-paid");
        var round = (await paid.RecordRunAsync())[0];
        await new RoundPayer(paid.Store, paid.Processor(), paid.Workers).PayAsync(round);
        await using var other = await PayoutScenario.CreateAsync(anvil, "verify-other");
        var otherRound = (await other.RecordRunAsync(pool: "999"))[0];
        await new PayoutProcessor(other.Store, paid.Processor().Chain, TimeProvider.System).AllocateAsync(paid.Allocation(otherRound));

        var check = Assert.Single(await CommitmentVerifier.VerifyAsync(other.Store, paid.Distributor));

        Assert.StartsWith("round 1 is paid on chain with commitment", check.Problem);
    }

    [Fact]
    public async Task The_verifier_reports_recorded_payouts_the_policy_does_not_give()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "verify-policy");
        var round = (await s.RecordRunAsync())[0];
        var allocation = s.Allocation(round);
        var skewed = allocation with { Payouts = [.. allocation.Payouts.Select((p, i) => i == 0 ? p with { Amount = (BigInteger.Parse(p.Amount) - 1).ToString() } : p)] };
        await s.Processor().AllocateAsync(skewed);

        var check = Assert.Single(await CommitmentVerifier.VerifyAsync(s.Store, null));

        Assert.Equal("the recorded payouts of round 1 are not what the reward policy gives for its aggregated updates", check.Problem);
    }
}
