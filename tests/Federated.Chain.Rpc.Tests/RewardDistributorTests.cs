using System.Numerics;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc.Tests;

public sealed class RewardDistributorTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private static readonly BigInteger Token = DistributorScenario.Token;

    [Fact]
    public async Task Paying_a_round_credits_each_recipient_and_debits_the_budget()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        Payout[] payouts =
        [
            new(DistributorScenario.Recipient("alice"), 3 * Token),
            new(DistributorScenario.Recipient("bob"), 5 * Token / 2),
            new(DistributorScenario.Recipient("carol"), 1),
        ];

        var receipt = await s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("1"), payouts);

        Assert.True(receipt.Succeeded);
        Assert.Equal(payouts.Select(p => p.Amount), await Task.WhenAll(payouts.Select(p => s.Distributor.BalanceOfAsync(p.Recipient))));
        Assert.Equal(DistributorScenario.Budget - payouts.Aggregate(BigInteger.Zero, (sum, p) => sum + p.Amount), await s.Distributor.BalanceOfAsync(s.Distributor.Address));
    }

    [Fact]
    public async Task Paying_a_round_emits_one_Transfer_per_recipient_and_one_RoundPaid()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        Payout[] payouts = [new(DistributorScenario.Recipient("dave"), 7 * Token), new(DistributorScenario.Recipient("erin"), 11 * Token)];

        var receipt = await s.Distributor.PayRoundAsync(s.Coordinator, 42, DistributorScenario.Commitment("42"), payouts);

        var transfers = receipt.Logs.Where(l => l.Topics[0].AsSpan().SequenceEqual(RewardDistributorContract.TransferEvent.Topic)).ToList();
        var roundPaid = Assert.Single(receipt.Logs, l => l.Topics[0].AsSpan().SequenceEqual(RewardDistributorContract.RoundPaidEvent.Topic));
        Assert.Equal(payouts.Select(p => p.Recipient), transfers.Select(t => new EthereumAddress(t.Topics[2].AsSpan(12))));
        Assert.Equal([(BigInteger)42], [new BigInteger(roundPaid.Topics[1], isUnsigned: true, isBigEndian: true)]);
        Assert.Equal(Hex.Encode(DistributorScenario.Commitment("42")), Hex.Encode(roundPaid.Data.AsSpan(0, 32)));
    }

    [Fact]
    public async Task The_commitment_is_readable_back_and_the_round_reads_as_paid()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        var commitment = DistributorScenario.Commitment("7");

        await s.Distributor.PayRoundAsync(s.Coordinator, 7, commitment, [new(DistributorScenario.Recipient("alice"), Token)]);

        Assert.Equal((true, Hex.Encode(commitment), false), (await s.Distributor.IsPaidAsync(7), Hex.Encode(await s.Distributor.CommitmentOfAsync(7)), await s.Distributor.IsPaidAsync(8)));
    }

    [Fact]
    public async Task Paying_the_same_round_twice_reverts_with_RoundAlreadyPaid()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        await s.Distributor.PayRoundAsync(s.Coordinator, 5, DistributorScenario.Commitment("5"), [new(DistributorScenario.Recipient("alice"), Token)]);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            s.Distributor.PayRoundAsync(s.Coordinator, 5, DistributorScenario.Commitment("5-again"), [new(DistributorScenario.Recipient("alice"), Token)]));

        Assert.Equal("RoundAlreadyPaid", error.Revert?.ErrorName);
        Assert.Contains($"RoundAlreadyPaid(5, {Hex.Encode(DistributorScenario.Commitment("5"))})", error.Message);
    }

    [Fact]
    public async Task A_caller_other_than_the_coordinator_cannot_pay()
    {
        var s = await DistributorScenario.DeployAsync(anvil);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            s.Distributor.PayRoundAsync(s.Admin, 1, DistributorScenario.Commitment("1"), [new(DistributorScenario.Recipient("alice"), Token)]));

        Assert.Equal($"NotCoordinator({s.AdminAccount.Address})", error.Revert?.Text);
    }

    [Fact]
    public async Task Only_the_admin_can_pause()
    {
        var s = await DistributorScenario.DeployAsync(anvil);

        var error = await Assert.ThrowsAsync<RpcException>(() => s.Distributor.PauseAsync(s.Coordinator));

        Assert.Equal("OwnableUnauthorizedAccount", error.Revert?.ErrorName);
    }

    [Fact]
    public async Task A_paused_distributor_refuses_to_pay_until_unpaused()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        await s.Distributor.PauseAsync(s.Admin);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("1"), [new(DistributorScenario.Recipient("alice"), Token)]));
        await s.Distributor.UnpauseAsync(s.Admin);
        var receipt = await s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("1"), [new(DistributorScenario.Recipient("alice"), Token)]);

        Assert.Equal(("EnforcedPause", true), (error.Revert?.ErrorName, receipt.Succeeded));
    }

    [Fact]
    public async Task After_rotation_only_the_new_coordinator_can_pay()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        var next = await anvil.AccountAsync("next-coordinator");
        await s.Distributor.SetCoordinatorAsync(s.Admin, next.Address);

        var old = await Assert.ThrowsAsync<RpcException>(() =>
            s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("1"), [new(DistributorScenario.Recipient("alice"), Token)]));
        var receipt = await s.Distributor.PayRoundAsync(anvil.Sender(next), 1, DistributorScenario.Commitment("1"), [new(DistributorScenario.Recipient("alice"), Token)]);

        Assert.Equal((next.Address, "NotCoordinator", true), (await s.Distributor.CoordinatorAsync(), old.Revert?.ErrorName, receipt.Succeeded));
    }

    [Fact]
    public async Task Paying_more_than_the_budget_reverts_with_the_balance_shortfall()
    {
        var s = await DistributorScenario.DeployAsync(anvil);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("1"),
                [new(DistributorScenario.Recipient("alice"), DistributorScenario.Budget), new(DistributorScenario.Recipient("bob"), 1)]));

        Assert.Equal($"ERC20InsufficientBalance({s.Distributor.Address}, {DistributorScenario.Budget}, {DistributorScenario.Budget + 1})", error.Revert?.Text);
    }

    [Fact]
    public async Task A_transaction_mined_with_status_0_is_reported_with_its_revert_reason()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        await s.Distributor.PayRoundAsync(s.Coordinator, 9, DistributorScenario.Commitment("9"), [new(DistributorScenario.Recipient("alice"), Token)]);
        var repeat = RewardDistributorContract.EncodePayRound(9, DistributorScenario.Commitment("9"), [new(DistributorScenario.Recipient("alice"), Token)]);

        // A fixed gas limit skips estimation, so the node mines the doomed transaction.
        var error = await Assert.ThrowsAsync<TransactionRevertedException>(() =>
            s.Coordinator.SendAsync(new TransactionRequest { To = s.Distributor.Address, Data = repeat, GasLimit = 200_000 }));

        Assert.Equal((0UL, "RoundAlreadyPaid"), (error.Receipt.Status, error.Revert?.ErrorName));
        Assert.Contains("receipt status 0", error.Message);
    }

    [Fact]
    public void A_payout_word_refuses_the_zero_address() =>
        Assert.Throws<ArgumentException>(() => RewardDistributorContract.PackPayout(new Payout(EthereumAddress.Zero, 1)));

    [Fact]
    public void A_payout_word_refuses_an_amount_over_96_bits() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RewardDistributorContract.PackPayout(new Payout(DistributorScenario.Recipient("a"), BigInteger.One << 96)));

    [Fact]
    public void A_payout_word_holds_the_amount_above_the_recipient()
    {
        var recipient = EthereumAddress.Parse("0x00000000000000000000000000000000000000ff");

        Assert.Equal((BigInteger)5 << 160 | 0xff, RewardDistributorContract.PackPayout(new Payout(recipient, 5)));
    }
}
