using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class OpenRoundTests
{
    private static OpenRound OpenRound(int round, string baseModel, params int[] shardIds) =>
        new(round, baseModel, [.. shardIds.Select(Shard)]);

    [Fact]
    public void The_first_round_opens_from_the_initial_model_with_a_deadline_one_timeout_away() =>
        Given(Launched(), Joined("w1"))
            .When(OpenRound(1, InitialModel, 1, 2), At(30))
            .Then(new RoundOpened(RunId, 1, InitialModel, [Shard(1), Shard(2)], At(30), At(30 + Spec.RoundTimeoutSeconds)));

    [Fact]
    public void The_next_round_opens_from_the_model_the_last_round_produced() =>
        Given(RoundOneAggregated())
            .When(OpenRound(2, "model-1", 3, 4), At(200))
            .Then(new RoundOpened(RunId, 2, "model-1", [Shard(3), Shard(4)], At(200), At(200 + Spec.RoundTimeoutSeconds)));

    [Fact]
    public void A_round_number_other_than_the_next_throws() =>
        Given(Launched())
            .When(OpenRound(2, InitialModel, 1, 2), At(30))
            .ThenThrows<DomainException>("next round is 1, not 2");

    [Fact]
    public void Opening_while_a_round_is_still_open_throws() =>
        Given(RoundOneOpen())
            .When(OpenRound(2, InitialModel, 3, 4), At(30))
            .ThenThrows<DomainException>("round 1 is still open");

    [Fact]
    public void A_base_model_other_than_the_current_one_throws() =>
        Given(RoundOneAggregated())
            .When(OpenRound(2, InitialModel, 3, 4), At(200))
            .ThenThrows<DomainException>("must start from the current model model-1");

    [Fact]
    public void Duplicate_shard_ids_throw() =>
        Given(Launched())
            .When(OpenRound(1, InitialModel, 1, 2, 1), At(30))
            .ThenThrows<DomainException>("shard ids must be unique");

    [Fact]
    public void A_round_without_shards_throws() =>
        Given(Launched())
            .When(OpenRound(1, InitialModel), At(30))
            .ThenThrows<DomainException>("at least one shard");

    [Fact]
    public void A_round_beyond_the_specs_rounds_throws() =>
        // The last round was aggregated but the run not (yet) marked completed.
        Given(Launched(Spec with { Rounds = 1 }), Aggregated(1, InitialModel, "model-1", 100, new AggregatedUpdate(1, "w1", "update-1", 10)))
            .When(OpenRound(2, "model-1", 3), At(200))
            .ThenThrows<DomainException>("only 1 rounds");

    [Fact]
    public void Opening_a_round_of_a_completed_run_throws() =>
        Given(
                Launched(Spec with { Rounds = 1 }),
                Aggregated(1, InitialModel, "model-1", 100, new AggregatedUpdate(1, "w1", "update-1", 10)),
                new RunCompleted(RunId, "model-1", 2f, At(100)))
            .When(OpenRound(2, "model-1", 3), At(200))
            .ThenThrows<DomainException>("completed");

    [Fact]
    public void Opening_a_round_before_launch_throws() =>
        Given()
            .When(OpenRound(1, InitialModel, 1), At(0))
            .ThenThrows<DomainException>("not been launched");
}
