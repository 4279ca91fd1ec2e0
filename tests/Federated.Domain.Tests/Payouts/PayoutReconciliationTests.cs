using Federated.Domain.Payouts;
using static Federated.Domain.Tests.Payouts.PayoutFixture;

namespace Federated.Domain.Tests.Payouts;

public class PayoutReconciliationTests
{
    private static readonly PayoutSettings Settings = new() { Confirmations = 2, StallTimeout = TimeSpan.FromSeconds(30), FeeBumpPercent = 15 };

    private static PayoutStep Next(PayoutFixture p, ChainView chain, DateTimeOffset? now = null) =>
        PayoutReconciliation.Next(p.State, chain, Settings, now ?? T0);

    private static PayoutFixture Submitted()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(new RecordSubmission("0xaa"));
        return p;
    }

    [Fact]
    public void A_fresh_allocation_signs_on_the_lane_s_next_nonce()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());

        Assert.Equal(new PayoutStep.Sign(null, 0, 0, "first transaction"), Next(p, Chain()));
    }

    [Fact]
    public void A_signed_transaction_never_broadcast_is_broadcast_as_recorded()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));

        Assert.Equal("0xaa", Assert.IsType<PayoutStep.Broadcast>(Next(p, Chain(minedNonce: 5))).Attempt.TransactionHash);
    }

    [Fact]
    public void A_signed_transaction_already_mined_is_confirmed_without_broadcasting()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));

        var step = Next(p, Chain(head: 9, minedNonce: 6, commitment: Commitment, receipts: ("0xaa", new ReceiptView(8, "0xb8", true, 60_000))));

        Assert.Equal(new PayoutStep.Record(new RecordConfirmation("0xaa", 8, "0xb8", 2, 60_000)), step);
    }

    [Fact]
    public void A_receipt_short_of_the_confirmations_waits()
    {
        var step = Next(Submitted(), Chain(head: 8, minedNonce: 6, commitment: Commitment, receipts: ("0xaa", new ReceiptView(8, "0xb8", true, 60_000))));

        Assert.IsType<PayoutStep.Wait>(step);
    }

    [Fact]
    public void A_mined_revert_stops_the_payout_with_its_reason()
    {
        var step = Next(Submitted(), Chain(head: 9, minedNonce: 6, receipts: ("0xaa", new ReceiptView(8, "0xb8", false, 30_000, "EnforcedPause()"))));

        Assert.Equal(new PayoutStep.Record(new RecordFailure("0xaa", "transaction 0xaa reverted in block 8: EnforcedPause()", Retryable: false)), step);
    }

    [Fact]
    public void A_round_paid_with_another_commitment_stops_the_payout()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        var other = "0x" + new string('7', 64);

        var step = Assert.IsType<PayoutStep.Record>(Next(p, Chain(commitment: other)));

        Assert.Equal((false, $"round 2 (on-chain id 0x01) is already paid on chain with commitment {other}; this payout's is {Commitment}"),
            (((RecordFailure)step.Command).Retryable, ((RecordFailure)step.Command).Reason));
    }

    [Fact]
    public void The_round_paid_with_this_payout_s_commitment_but_no_receipt_in_view_waits_and_never_signs()
    {
        Assert.IsType<PayoutStep.Wait>(Next(Submitted(), Chain(minedNonce: 6, commitment: Commitment)));
    }

    [Fact]
    public void A_transaction_in_the_pool_waits_until_the_stall_timeout()
    {
        Assert.IsType<PayoutStep.Wait>(Next(Submitted(), Chain(minedNonce: 5, pending: ["0xaa"]), T0.AddSeconds(29)));
    }

    [Fact]
    public void A_stalled_transaction_is_replaced_on_its_nonce_with_fees_raised_15_percent()
    {
        var step = Next(Submitted(), Chain(minedNonce: 5, pending: ["0xaa"]), T0.AddSeconds(30));

        Assert.Equal((5UL, 230, 12), ((PayoutStep.Sign)step) switch { var s => (s.Nonce!.Value, (int)s.MinMaxFeePerGas, (int)s.MinPriorityFeePerGas) });
    }

    [Fact]
    public void A_dropped_transaction_is_a_retryable_failure()
    {
        var step = Assert.IsType<PayoutStep.Record>(Next(Submitted(), Chain(minedNonce: 5)));

        Assert.Equal((true, "0xaa"), (((RecordFailure)step.Command).Retryable, ((RecordFailure)step.Command).TransactionHash));
    }

    [Fact]
    public void After_a_drop_the_replacement_reuses_the_free_nonce()
    {
        var p = Submitted();
        p.Do(new RecordFailure("0xaa", "dropped", Retryable: true));

        Assert.Equal(5UL, Assert.IsType<PayoutStep.Sign>(Next(p, Chain(minedNonce: 5))).Nonce);
    }

    [Fact]
    public void A_nonce_used_by_another_transaction_moves_the_payout_to_a_new_nonce()
    {
        var p = Submitted();
        var failure = Assert.IsType<PayoutStep.Record>(Next(p, Chain(minedNonce: 6)));
        p.Do(failure.Command);

        Assert.Null(Assert.IsType<PayoutStep.Sign>(Next(p, Chain(minedNonce: 6))).Nonce);
    }

    [Fact]
    public void A_superseded_transaction_that_gets_mined_still_confirms_the_payout()
    {
        var p = Submitted();
        p.Do(Signed("0xbb", 5, 230, 12));

        var step = Next(p, Chain(head: 9, minedNonce: 6, commitment: Commitment, receipts: ("0xaa", new ReceiptView(8, "0xb8", true, 60_000))));

        Assert.Equal("0xaa", ((RecordConfirmation)Assert.IsType<PayoutStep.Record>(step).Command).TransactionHash);
    }

    [Fact]
    public void A_confirmed_payout_whose_block_changed_is_reorged()
    {
        var p = Submitted();
        p.Do(new RecordConfirmation("0xaa", 8, "0xb8", 2, 60_000));

        var step = Next(p, Chain(head: 9, minedNonce: 6, commitment: Commitment, receipts: ("0xaa", new ReceiptView(8, "0xc8", true, 60_000))));

        Assert.Equal(new PayoutStep.Record(new RecordReorg("0xaa")), step);
    }

    [Fact]
    public void A_confirmed_payout_still_in_its_block_is_done()
    {
        var p = Submitted();
        p.Do(new RecordConfirmation("0xaa", 8, "0xb8", 2, 60_000));

        Assert.IsType<PayoutStep.Done>(Next(p, Chain(head: 20, minedNonce: 6, commitment: Commitment, receipts: ("0xaa", new ReceiptView(8, "0xb8", true, 60_000)))));
    }
}
