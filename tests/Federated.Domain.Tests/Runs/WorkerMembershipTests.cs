using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class WorkerMembershipTests
{
    [Fact]
    public void A_new_worker_joins() =>
        Given(Launched())
            .When(new JoinWorker("w1", 4), At(10))
            .Then(new WorkerJoined(RunId, "w1", 4, At(10)));

    [Fact]
    public void A_worker_asking_for_no_threads_joins_with_one() =>
        Given(Launched())
            .When(new JoinWorker("w1", 0), At(10))
            .Then(new WorkerJoined(RunId, "w1", 1, At(10)));

    [Fact]
    public void An_active_worker_joining_again_is_a_duplicate_and_records_nothing() =>
        Given(Launched(), Joined("w1"))
            .When(new JoinWorker("w1", 8), At(10))
            .ThenNothingHappens();

    [Fact]
    public void A_worker_that_left_joins_again() =>
        Given(Launched(), Joined("w1"), Left("w1", at: 5))
            .When(new JoinWorker("w1", 2), At(10))
            .Then(new WorkerJoined(RunId, "w1", 2, At(10)));

    [Fact]
    public void Joining_before_the_run_is_launched_throws() =>
        Given()
            .When(new JoinWorker("w1", 1), At(0))
            .ThenThrows<DomainException>("not been launched");

    [Fact]
    public void Joining_a_completed_run_throws() =>
        Given(Launched(), new RunCompleted(RunId, "model-2", 2f, At(1)))
            .When(new JoinWorker("w1", 1), At(5))
            .ThenThrows<DomainException>("completed");

    [Fact]
    public void A_worker_without_an_id_is_refused() =>
        Given(Launched())
            .When(new JoinWorker("", 1), At(0))
            .ThenThrows<DomainException>("worker id must not be empty");

    [Fact]
    public void An_active_worker_leaves() =>
        Given(Launched(), Joined("w1"))
            .When(new LeaveWorker("w1", "shutting down"), At(7))
            .Then(Left("w1", at: 7));

    [Fact]
    public void A_worker_that_never_joined_leaving_records_nothing() =>
        Given(Launched())
            .When(new LeaveWorker("w9", "shutting down"), At(7))
            .ThenNothingHappens();

    [Fact]
    public void A_leaving_worker_s_open_leases_end_with_it_so_its_shards_can_go_to_others_at_once() =>
        Given(RoundOneLeased())
            .When(new LeaveWorker("w1", "shutting down"), At(4))
            .Then(Left("w1", at: 4), LeaseExpired(1, 1, "w1", "lease-1", at: 4));
}
