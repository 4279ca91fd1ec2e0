using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class WorkerIdentityTests
{
    private const string W1 = "0x1111111111111111111111111111111111111111";
    private const string Other = "0x2222222222222222222222222222222222222222";

    [Fact]
    public void A_signed_registration_joins_and_identifies_the_worker() =>
        Given(Launched())
            .When(new JoinWorker("w1", 2, W1), At(5))
            .Then(new WorkerJoined(RunId, "w1", 2, At(5)), new WorkerIdentified(RunId, "w1", W1, At(5)));

    [Fact]
    public void A_registration_by_another_key_under_an_identified_id_is_refused() =>
        Given(Launched(), Joined("w1"), new WorkerIdentified(RunId, "w1", W1, T0))
            .When(new JoinWorker("w1", 1, Other), At(5))
            .Then(new WorkerRegistrationRefused(RunId, "w1", Other,
                $"{RejectionReasons.UnknownSigner}: worker w1 registered as {W1}, the announcement is signed by {Other}", At(5)));

    [Fact]
    public void An_unsigned_registration_cannot_take_over_an_identified_worker() =>
        Given(Launched(), Joined("w1"), new WorkerIdentified(RunId, "w1", W1, T0), Left("w1"))
            .When(new JoinWorker("w1", 1), At(5))
            .Then(new WorkerRegistrationRefused(RunId, "w1", null,
                $"{RejectionReasons.Unsigned}: worker w1 registered as {W1}; an unsigned announcement cannot join it", At(5)));

    [Fact]
    public void An_identified_worker_that_left_rejoins_with_its_address_kept()
    {
        var state = RunState.Fold([Launched(), Joined("w1"), new WorkerIdentified(RunId, "w1", W1, T0), Left("w1"), Joined("w1")]);

        Assert.Equal((true, W1), (state.Workers["w1"].Active, state.Workers["w1"].Address));
    }

    [Fact]
    public void A_repeated_signed_registration_of_an_active_worker_records_nothing() =>
        Given(Launched(), Joined("w1"), new WorkerIdentified(RunId, "w1", W1, T0))
            .When(new JoinWorker("w1", 1, W1.ToUpperInvariant().Replace("0X", "0x")), At(5))
            .ThenNothingHappens();

    [Fact]
    public void A_refused_announcement_is_recorded_with_its_reason() =>
        Given(Launched())
            .When(new RefuseWorker("w9", Other, "bad-signature: no"), At(5))
            .Then(new WorkerRegistrationRefused(RunId, "w9", Other, "bad-signature: no", At(5)));
}
