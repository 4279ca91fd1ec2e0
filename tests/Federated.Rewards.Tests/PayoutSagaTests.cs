using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Rpc.Tests;
using Federated.Domain.Payouts;

namespace Federated.Rewards.Tests;

/// <summary>Round payouts against a real anvil that mines every transaction at once.</summary>
public sealed class PayoutSagaTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private const string Shares = "286,571,143"; // 1000 split 16384 : 32768 : 8192, largest remainder

    [Fact]
    public async Task Paying_a_round_credits_each_worker_its_share()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "pay");
        var round = (await s.RecordRunAsync())[0];

        await new RoundPayer(s.Store, s.Processor(), s.Workers).PayAsync(round);

        Assert.Equal(Shares, await s.WorkerBalancesAsync());
    }

    [Fact]
    public async Task A_paid_round_records_allocation_signing_submission_and_confirmation_in_order()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "events");
        var round = (await s.RecordRunAsync())[0];

        await new RoundPayer(s.Store, s.Processor(), s.Workers).PayAsync(round);

        Assert.Equal(["PayoutAllocated.V1", "PayoutTransactionSigned.V1", "PayoutSubmitted.V1", "PayoutConfirmed.V1"], await s.EventTypesAsync(1));
    }

    [Fact]
    public async Task The_chain_holds_the_commitment_of_the_log_segment_and_payout_list()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "commitment");
        var round = (await s.RecordRunAsync())[0];
        var state = await new RoundPayer(s.Store, s.Processor(), s.Workers).PayAsync(round);
        var payouts = PayoutAllocator.PayoutsOf(state.Allocation!.Payouts);
        var expected = RoundCommitment.Of(round.SegmentHash, RoundCommitment.PayoutListHash(payouts));

        var onChain = await s.Distributor.CommitmentOfAsync(RoundCommitment.ChainRoundId(PayoutScenario.RunId, 1));

        Assert.Equal(Hex.Encode(expected), Hex.Encode(onChain));
    }

    [Fact]
    public async Task Paying_a_round_again_sends_nothing_and_pays_nothing_more()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "again");
        var round = (await s.RecordRunAsync())[0];
        var payer = new RoundPayer(s.Store, s.Processor(), s.Workers);
        await payer.PayAsync(round);

        await payer.PayAsync(round);
        await new RoundPayer(s.Store, s.Processor(), s.Workers).PayAsync(round);

        Assert.Equal((Shares, 1UL, 4), (await s.WorkerBalancesAsync(), await s.CoordinatorMinedNonceAsync(), (await s.EventTypesAsync(1)).Count));
    }

    [Fact]
    public async Task Every_round_of_a_run_is_paid_in_order_by_the_subscription_handler()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "handler");
        await s.RecordRunAsync(rounds: 3);
        var payer = new RoundPayer(s.Store, s.Processor(), s.Workers);

        await foreach (var e in s.Store.ReadAllAsync(0, int.MaxValue)) await payer.HandleAsync(e, CancellationToken.None);

        Assert.Equal(("858,1713,429", 3), (await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync()));
    }

    [Fact]
    public async Task A_second_log_paying_the_same_round_is_refused_and_records_why()
    {
        await using var first = await PayoutScenario.CreateAsync(anvil, "twice");
        var round = (await first.RecordRunAsync())[0];
        await new RoundPayer(first.Store, first.Processor(), first.Workers).PayAsync(round);
        await using var second = await PayoutScenario.CreateAsync(anvil, "twice-other-log");
        // Same run id and round, same distributor and coordinator, but another log: another segment hash and commitment.
        var other = round with { SegmentHash = new byte[32] };
        var processor = new PayoutProcessor(second.Store, first.Processor().Chain, TimeProvider.System, first.Processor().Options);

        var error = await Assert.ThrowsAsync<PayoutFailedException>(() => new RoundPayer(second.Store, processor, first.Workers).PayAsync(other));

        Assert.Equal((false, Shares), (error.Failure.Retryable, await first.WorkerBalancesAsync()));
        Assert.Contains("is already paid on chain with commitment", error.Failure.Reason);
    }

    [Fact]
    public async Task A_caller_that_is_not_the_coordinator_is_refused_by_the_contract_and_the_failure_is_recorded()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "unauthorized");
        var round = (await s.RecordRunAsync())[0];
        var intruder = await anvil.AccountAsync("intruder");
        var processor = s.Processor(sender: anvil.Sender(intruder));

        var error = await Assert.ThrowsAsync<PayoutFailedException>(() => new RoundPayer(s.Store, processor, s.Workers).PayAsync(round));

        Assert.Equal($"payRound would revert: NotCoordinator({intruder.Address})", error.Failure.Reason);
        Assert.Equal((PayoutStatus.Failed, "PayoutFailed.V1"), ((await s.StateAsync(1)).Status, (await s.EventTypesAsync(1))[^1]));
    }

    [Fact]
    public async Task A_coordinator_key_for_another_chain_id_is_refused_by_name_and_the_failure_is_recorded()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "chain-id");
        var round = (await s.RecordRunAsync())[0];
        var processor = s.Processor(sender: s.CoordinatorSender(chainId: 1));
        await processor.AllocateAsync(PayoutAllocatorFor(s, round, chainId: 1));

        var error = await Assert.ThrowsAsync<PayoutFailedException>(() => processor.SettleAsync(PayoutScenario.RunId, 1));

        Assert.Equal($"cannot sign: Refusing to sign: the sender for {s.CoordinatorAccount.Address} is configured for chain id 1, but the node at {anvil.Endpoint} reports chain id 31337.",
            error.Failure.Reason);
        Assert.Equal((PayoutStatus.Pending, 0UL), ((await s.StateAsync(1)).Status, await s.CoordinatorMinedNonceAsync()));
    }

    [Fact]
    public async Task A_coordinator_without_ether_gets_a_recorded_retryable_failure_and_pays_once_funded()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "broke", coordinatorEther: 0);
        var round = (await s.RecordRunAsync())[0];
        var payer = new RoundPayer(s.Store, s.Processor(), s.Workers);

        var error = await Assert.ThrowsAsync<PayoutFailedException>(() => payer.PayAsync(round));
        await anvil.AccountAsync($"coordinator:broke", 10);
        await payer.ResumeAsync();

        Assert.StartsWith($"cannot sign: Account {s.CoordinatorAccount.Address} holds 0 wei but the transaction may cost up to", error.Failure.Reason);
        Assert.Equal((true, Shares), (error.Failure.Retryable, await s.WorkerBalancesAsync()));
    }

    [Fact]
    public async Task A_reorg_after_the_receipt_returns_the_payout_to_pending_and_it_is_confirmed_again_paying_once()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "reorg");
        var round = (await s.RecordRunAsync())[0];
        var processor = s.Processor();
        var confirmed = await new RoundPayer(s.Store, processor, s.Workers).PayAsync(round);
        var head = await anvil.Client.BlockNumberAsync();

        await anvil.Client.ReorgAsync(head - confirmed.Confirmation!.BlockNumber + 1);
        var (afterReorg, reorged) = await processor.StepAsync(PayoutScenario.RunId, 1);
        var final = await processor.SettleAsync(PayoutScenario.RunId, 1);

        Assert.Equal((new PayoutStep.Record(new RecordReorg(confirmed.Confirmation.TransactionHash)), PayoutStatus.Submitted), (afterReorg, reorged.Status));
        Assert.Equal((PayoutStatus.Confirmed, Shares, 1), (final.Status, await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync()));
        Assert.Equal(final.Attempts[0].Nonce, final.Attempts[^1].Nonce);
    }

    [Fact]
    public async Task A_reorg_that_moves_the_payout_to_another_block_is_recorded_and_confirmed_in_the_new_block()
    {
        await using var s = await PayoutScenario.CreateAsync(anvil, "reorg-moved");
        var round = (await s.RecordRunAsync())[0];
        var processor = s.Processor();
        var confirmed = await new RoundPayer(s.Store, processor, s.Workers).PayAsync(round);
        await anvil.Client.MineAsync();
        var head = await anvil.Client.BlockNumberAsync();
        var raw = Hex.Decode(confirmed.Attempts[0].RawTransaction);

        await anvil.Client.ReorgAsync(head - confirmed.Confirmation!.BlockNumber + 1, [(raw, 1UL)]);
        var final = await processor.SettleAsync(PayoutScenario.RunId, 1);

        Assert.Equal((1, confirmed.Confirmation.TransactionHash, Shares), (final.Attempts.Count, final.Confirmation!.TransactionHash, await s.WorkerBalancesAsync()));
        Assert.Equal(confirmed.Confirmation.BlockNumber + 1, final.Confirmation.BlockNumber);
        Assert.Contains("PayoutReorged.V1", await s.EventTypesAsync(1));
    }

    private static AllocatePayout PayoutAllocatorFor(PayoutScenario s, AggregatedRound round, long chainId) =>
        PayoutAllocator.Allocate(round, s.Workers, Domain.Rewards.TokensProcessedScore.Instance, chainId, s.Distributor.Address);
}
