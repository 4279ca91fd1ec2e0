using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class LeaseShardTests
{
    [Fact]
    public void A_joined_worker_leases_a_free_shard_until_one_lease_period_from_now() =>
        Given(RoundOneOpen())
            .When(new LeaseShard(1, "w1", "lease-1"), At(20))
            .Then(new ShardLeased(RunId, 1, 1, "lease-1", "w1", At(20), At(20 + Spec.LeaseSeconds)));

    [Fact]
    public void A_shard_the_round_does_not_have_throws() =>
        Given(RoundOneOpen())
            .When(new LeaseShard(9, "w1", "lease-1"), At(20))
            .ThenThrows<DomainException>("round 1 has no shard 9");

    [Fact]
    public void A_worker_that_never_joined_throws() =>
        Given(RoundOneOpen())
            .When(new LeaseShard(1, "w9", "lease-1"), At(20))
            .ThenThrows<DomainException>("worker w9 has not joined");

    [Fact]
    public void A_worker_that_left_throws() =>
        Given([.. RoundOneOpen(), Left("w1", at: 10)])
            .When(new LeaseShard(1, "w1", "lease-1"), At(20))
            .ThenThrows<DomainException>("worker w1 has not joined");

    [Fact]
    public void A_shard_already_leased_throws_naming_the_holder() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1")])
            .When(new LeaseShard(1, "w2", "lease-2"), At(20))
            .ThenThrows<DomainException>("shard 1 is leased to w1");

    [Fact]
    public void A_shard_whose_lease_expired_can_be_leased_again() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), LeaseExpired(1, 1, "w1", "lease-1", at: 300)])
            .When(new LeaseShard(1, "w2", "lease-2"), At(310))
            .Then(new ShardLeased(RunId, 1, 1, "lease-2", "w2", At(310), At(310 + Spec.LeaseSeconds)));

    [Fact]
    public void A_worker_whose_update_for_the_shard_was_refused_cannot_lease_it_again_this_round() =>
        Given(
            [
                .. RoundOneLeased(),
                .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 30, endsLease: true),
            ])
            .When(new LeaseShard(1, "w1", "lease-1b"), At(40))
            .ThenThrows<DomainException>("worker w1 already sent a rejected update for shard 1 in round 1");

    [Fact]
    public void Another_worker_may_lease_a_shard_whose_update_was_refused() =>
        Given(
            [
                .. RoundOneOpen(),
                Leased(1, 1, "w1", "lease-1"),
                .. RejectedUpdate(1, 1, "w1", "lease-1", "update-1", "invalid-update: bad", at: 30, endsLease: true),
            ])
            .When(new LeaseShard(1, "w2", "lease-1b"), At(40))
            .Then(Leased(1, 1, "w2", "lease-1b", at: 40));

    [Fact]
    public void A_completed_shard_throws() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(new LeaseShard(1, "w2", "lease-2"), At(70))
            .ThenThrows<DomainException>("shard 1 of round 1 is already completed");

    [Fact]
    public void A_lease_id_used_before_throws() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1")])
            .When(new LeaseShard(2, "w2", "lease-1"), At(20))
            .ThenThrows<DomainException>("lease id lease-1 was already used");

    [Fact]
    public void Leasing_between_rounds_throws() =>
        Given(Launched(), Joined("w1"))
            .When(new LeaseShard(1, "w1", "lease-1"), At(20))
            .ThenThrows<DomainException>("no round is open");
}

public class ReleaseLeaseTests
{
    [Fact]
    public void The_holder_releasing_its_lease_expires_it() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1")])
            .When(new ReleaseLease("lease-1", "w1"), At(40))
            .Then(LeaseExpired(1, 1, "w1", "lease-1", at: 40));

    [Fact]
    public void Another_worker_releasing_the_lease_records_nothing() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1")])
            .When(new ReleaseLease("lease-1", "w2"), At(40))
            .ThenNothingHappens();

    [Fact]
    public void Releasing_an_unknown_lease_records_nothing() =>
        Given(RoundOneOpen())
            .When(new ReleaseLease("lease-9", "w1"), At(40))
            .ThenNothingHappens();

    [Fact]
    public void Releasing_a_lease_whose_shard_completed_records_nothing() =>
        Given([.. RoundOneOpen(), Leased(1, 1, "w1", "lease-1"), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60)])
            .When(new ReleaseLease("lease-1", "w1"), At(70))
            .ThenNothingHappens();
}
