using System.Numerics;

namespace Federated.Chain.Rpc.Tests;

public sealed class TransactionSenderTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task A_sender_for_another_chain_refuses_before_sending_anything()
    {
        var account = await anvil.AccountAsync("wrong-chain");
        var sender = new TransactionSender(anvil.Client, account.PrivateKey, chainId: 1);

        var error = await Assert.ThrowsAsync<ChainIdMismatchException>(() =>
            sender.SendAsync(new TransactionRequest { To = account.Address, Value = 1 }));

        Assert.Equal((0UL, "Refusing to sign: the sender for " + account.Address + " is configured for chain id 1, but the node at " + anvil.Endpoint + " reports chain id 31337."),
            (await anvil.Client.GetTransactionCountAsync(account.Address, BlockTag.Pending), error.Message));
    }

    [Fact]
    public async Task An_account_without_ether_gets_a_clear_error_naming_the_shortfall()
    {
        var broke = await anvil.AccountAsync("no-ether", ether: 0);

        var error = await Assert.ThrowsAsync<InsufficientFundsException>(() =>
            anvil.Sender(broke).SendAsync(new TransactionRequest { To = TestAccount.Named("someone").Address, Value = 1 }));

        Assert.Equal((broke.Address, BigInteger.Zero), (error.Account, error.Balance));
        Assert.Contains($"Account {broke.Address} holds 0 wei but the transaction may cost up to", error.Message);
    }

    [Fact]
    public async Task A_plain_transfer_moves_ether_and_reports_a_successful_receipt()
    {
        var from = await anvil.AccountAsync("payer");
        var to = TestAccount.Named("payee-" + Guid.NewGuid()).Address;

        var receipt = await anvil.Sender(from).SendAsync(new TransactionRequest { To = to, Value = 12345 });

        Assert.Equal((true, 21000UL, (BigInteger)12345), (receipt.Succeeded, receipt.GasUsed, await anvil.Client.GetBalanceAsync(to)));
    }

    [Fact]
    public async Task Consecutive_sends_use_consecutive_nonces()
    {
        var from = await anvil.AccountAsync("serial");
        var sender = anvil.Sender(from);
        var before = await anvil.Client.GetTransactionCountAsync(from.Address, BlockTag.Latest);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => sender.SendAsync(new TransactionRequest { To = from.Address, Value = 1 })));

        Assert.Equal(before + 3, await anvil.Client.GetTransactionCountAsync(from.Address, BlockTag.Latest));
    }

    [Fact]
    public async Task Logs_of_a_payment_are_found_by_eth_getLogs()
    {
        var s = await DistributorScenario.DeployAsync(anvil);
        var receipt = await s.Distributor.PayRoundAsync(s.Coordinator, 3, DistributorScenario.Commitment("3"), [new(DistributorScenario.Recipient("logs"), 1)]);

        var logs = await anvil.Client.GetLogsAsync(new LogFilter
        {
            FromBlock = BlockTag.Number(receipt.BlockNumber),
            ToBlock = BlockTag.Number(receipt.BlockNumber),
            Addresses = [s.Distributor.Address],
            Topics = [RewardDistributorContract.RoundPaidEvent.Topic],
        });

        Assert.Equal(receipt.TransactionHash, Assert.Single(logs).TransactionHash);
    }

    [Fact]
    public async Task Reverting_to_a_snapshot_undoes_a_transfer()
    {
        var from = await anvil.AccountAsync("snapshot");
        var to = TestAccount.Named("snapshot-payee").Address;
        var snapshot = await anvil.Client.SnapshotAsync();
        await anvil.Sender(from).SendAsync(new TransactionRequest { To = to, Value = 7 });

        var reverted = await anvil.Client.RevertToSnapshotAsync(snapshot);

        Assert.Equal((true, BigInteger.Zero), (reverted, await anvil.Client.GetBalanceAsync(to)));
    }

    [Fact]
    public async Task Fee_estimation_caps_at_twice_the_next_base_fee_plus_the_tip()
    {
        var fees = await anvil.Client.EstimateFeesAsync();

        Assert.Equal(2 * fees.BaseFeePerGas + fees.MaxPriorityFeePerGas, fees.MaxFeePerGas);
        Assert.True(fees.BaseFeePerGas > 0);
    }
}

public sealed class ManualMiningTests(ManualMiningAnvilFixture anvil) : IClassFixture<ManualMiningAnvilFixture>
{
    [Fact]
    public async Task The_receipt_waits_for_the_configured_confirmations()
    {
        var from = await anvil.AccountAsync("confirm");
        var sender = anvil.Sender(from, new TransactionSenderOptions { Confirmations = 3, PollInterval = TimeSpan.FromMilliseconds(20) });
        var signed = await sender.SignAndBroadcastAsync(new TransactionRequest { To = from.Address, Value = 1 });
        var waiting = sender.WaitForReceiptAsync(signed.Hash);

        await anvil.Client.MineAsync(2);
        await Task.Delay(200);
        var waitedAfterTwoBlocks = !waiting.IsCompleted;
        await anvil.Client.MineAsync(1);
        var receipt = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((true, true), (waitedAfterTwoBlocks, receipt.Succeeded));
    }

    [Fact]
    public async Task A_dropped_transaction_never_gets_a_receipt()
    {
        var from = await anvil.AccountAsync("dropped");
        var sender = anvil.Sender(from, new TransactionSenderOptions { ReceiptTimeout = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(20) });
        var signed = await sender.SignAndBroadcastAsync(new TransactionRequest { To = from.Address, Value = 1 });

        await anvil.Client.DropTransactionAsync(signed.Hash);
        await anvil.Client.MineAsync(1);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => sender.WaitForReceiptAsync(signed.Hash));
        Assert.Contains("was not mined with 1 confirmation(s)", error.Message);
    }
}
