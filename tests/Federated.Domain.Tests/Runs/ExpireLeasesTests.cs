using Federated.Domain.Runs;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class ExpireLeasesTests
{
    [Fact]
    public void Only_overdue_leases_expire_and_their_workers_are_taken_as_gone() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1", at: 0), Leased(1, 2, "w2", "lease-2", at: 100)])
            .When(new ExpireLeases(), At(Spec.LeaseSeconds + 50))
            .Then(LeaseExpired(1, 1, "w1", "lease-1", at: Spec.LeaseSeconds + 50), MissedDeadline("w1", at: Spec.LeaseSeconds + 50));

    [Fact]
    public void A_lease_expires_at_exactly_its_expiry_time() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1", at: 0)])
            .When(new ExpireLeases(), At(Spec.LeaseSeconds))
            .Then(LeaseExpired(1, 1, "w1", "lease-1", at: Spec.LeaseSeconds), MissedDeadline("w1", at: Spec.LeaseSeconds));

    [Fact]
    public void Overdue_leases_expire_in_shard_order_then_their_workers_leave_in_id_order() =>
        Given([.. RoundOneOpen(), Leased(1, 2, "w1", "lease-b", at: 0), Leased(1, 1, "w2", "lease-a", at: 10)])
            .When(new ExpireLeases(), At(1_000))
            .Then(
                LeaseExpired(1, 1, "w2", "lease-a", at: 1_000), LeaseExpired(1, 2, "w1", "lease-b", at: 1_000),
                MissedDeadline("w1", at: 1_000), MissedDeadline("w2", at: 1_000));

    [Fact]
    public void A_worker_with_two_overdue_leases_leaves_once() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), Leased(1, 2, "w1", "lease-2")])
            .When(new ExpireLeases(), At(1_000))
            .Then(LeaseExpired(1, 1, "w1", "lease-1", at: 1_000), LeaseExpired(1, 2, "w1", "lease-2", at: 1_000), MissedDeadline("w1", at: 1_000));

    [Fact]
    public void A_worker_that_already_left_is_not_recorded_leaving_again() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), Left("w1", at: 10)])
            .When(new ExpireLeases(), At(1_000))
            .Then(LeaseExpired(1, 1, "w1", "lease-1", at: 1_000));

    [Fact]
    public void A_lease_on_a_completed_shard_never_expires() =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(new ExpireLeases(), At(1_000))
            .Then(LeaseExpired(1, 2, "w2", "lease-2", at: 1_000), MissedDeadline("w2", at: 1_000));

    [Fact]
    public void A_lease_already_expired_does_not_expire_twice() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), LeaseExpired(1, 1, "w1", "lease-1", at: 300)])
            .When(new ExpireLeases(), At(1_000))
            .ThenNothingHappens();

    [Fact]
    public void Nothing_expires_when_no_lease_is_overdue() =>
        Given(RoundOneLeased())
            .When(new ExpireLeases(), At(Spec.LeaseSeconds - 1))
            .ThenNothingHappens();

    [Fact]
    public void Nothing_expires_between_rounds() =>
        Given(RoundOneAggregated())
            .When(new ExpireLeases(), At(10_000))
            .ThenNothingHappens();
}
