using Federated.Domain.Payouts;
using static Federated.Domain.Payouts.PayoutEvents.V1;
using static Federated.Domain.Tests.Payouts.PayoutFixture;

namespace Federated.Domain.Tests.Payouts;

public class PayoutDecisionTests
{
    [Fact]
    public void Allocating_again_with_the_same_commitment_records_nothing()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());

        Assert.Empty(p.Do(Allocation()));
    }

    [Fact]
    public void Allocating_again_with_another_commitment_is_refused()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());

        var error = Assert.Throws<DomainException>(() => p.Do(Allocation("0x" + new string('9', 64))));

        Assert.StartsWith("round 2 of run run1 was already allocated with commitment", error.Message);
    }

    [Fact]
    public void Payouts_over_the_pool_are_refused()
    {
        var over = Allocation() with { Pool = 99 };

        Assert.Equal("payouts total 100, more than the pool 99", Assert.Throws<DomainException>(() => new PayoutFixture().Do(over)).Message);
    }

    [Fact]
    public void A_signed_transaction_is_recorded_as_the_live_attempt()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));

        Assert.Equal((PayoutStatus.Signed, "0xaa", 5UL, false), (p.State.Status, p.State.Live!.TransactionHash, p.State.Live.Nonce, p.State.Live.Submitted));
    }

    [Fact]
    public void A_replacement_on_another_nonce_is_refused_while_a_transaction_is_live()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));

        var error = Assert.Throws<DomainException>(() => p.Do(Signed("0xbb", 6, 400, 20)));

        Assert.Equal("transaction 0xaa (nonce 5) is still live; a replacement must use nonce 5, not 6", error.Message);
    }

    [Fact]
    public void A_replacement_that_raises_the_fees_by_less_than_10_percent_is_refused()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));

        Assert.Throws<DomainException>(() => p.Do(Signed("0xbb", 5, 219, 11)));
    }

    [Fact]
    public void A_replacement_supersedes_the_live_attempt()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(Signed("0xbb", 5, 220, 11));

        Assert.Equal(("0xbb", 2, true), (p.State.Live!.TransactionHash, p.State.Attempts.Count, p.State.AttemptOf("0xaa")!.Ended));
    }

    [Fact]
    public void A_confirmed_payout_refuses_new_transactions()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(new RecordConfirmation("0xaa", 7, "0xb7", 1, 50_000));

        Assert.Equal("round 2 is already paid and confirmed", Assert.Throws<DomainException>(() => p.Do(Signed("0xbb", 6, 200, 10))).Message);
    }

    [Fact]
    public void A_reorg_of_the_confirmed_transaction_returns_the_payout_to_submitted()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(new RecordSubmission("0xaa"));
        p.Do(new RecordConfirmation("0xaa", 7, "0xb7", 1, 50_000));

        var events = p.Do(new RecordReorg("0xaa"));

        Assert.Equal((typeof(PayoutReorged), PayoutStatus.Submitted, (PayoutConfirmed?)null, "0xaa"),
            (Assert.Single(events).GetType(), p.State.Status, p.State.Confirmation, p.State.Live?.TransactionHash));
    }

    [Fact]
    public void A_retryable_failure_of_the_live_transaction_leaves_the_payout_pending()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(new RecordFailure("0xaa", "dropped", Retryable: true));

        Assert.Equal((PayoutStatus.Pending, (PayoutAttempt?)null), (p.State.Status, p.State.Live));
    }

    [Fact]
    public void A_final_failure_stops_the_payout()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(new RecordFailure(null, "NotCoordinator(0x..)", Retryable: false));

        Assert.Equal(PayoutStatus.Failed, p.State.Status);
    }

    [Fact]
    public void A_failure_without_a_transaction_keeps_the_live_one()
    {
        var p = new PayoutFixture();
        p.Do(Allocation());
        p.Do(Signed("0xaa", 5, 200, 10));
        p.Do(new RecordSubmission("0xaa"));
        p.Do(new RecordFailure(null, "insufficient funds for the replacement", Retryable: true));

        Assert.Equal((PayoutStatus.Submitted, "0xaa"), (p.State.Status, p.State.Live?.TransactionHash));
    }
}
