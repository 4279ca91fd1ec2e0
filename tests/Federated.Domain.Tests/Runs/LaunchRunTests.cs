using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class LaunchRunTests
{
    [Fact]
    public void A_valid_spec_launches_the_run_with_everything_the_command_measured() =>
        Given()
            .When(Launch(), At(0))
            .Then(new RunLaunched(RunId, Spec, "gpt tiny", 1_234, InitialModel, "train-set", 100_000, "validation-set", 10_000, 5.5f, T0));

    [Fact]
    public void Launching_a_run_twice_throws() =>
        Given(Launched())
            .When(Launch(), At(5))
            .ThenThrows<DomainException>("already launched");

    [Fact]
    public void Launching_a_finished_run_again_throws() =>
        Given(Launched(), new RunFailed(RunId, "operator stopped it", At(1)))
            .When(Launch(), At(5))
            .ThenThrows<DomainException>("already launched");

    [Fact]
    public void An_invalid_spec_is_refused_naming_the_field()
    {
        var error = Given()
            .When(Launch(Spec with { Rounds = 0 }), At(0))
            .ThenThrows<RunSpecException>("rounds");

        Assert.Equal("rounds", error.Field);
    }

    [Fact]
    public void An_empty_run_id_is_refused() =>
        Given()
            .When(Launch() with { RunId = " " }, At(0))
            .ThenThrows<DomainException>("run id must not be empty");
}
