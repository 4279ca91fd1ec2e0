using Federated.Domain.Aggregation;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

public class ScoredAggregationTests
{
    private static readonly ContributionScore[] Scores =
    [
        new(1, "w1", "update-1", ShardTokens, 0.9, 900, null),
        new(2, "w2", "update-2", ShardTokens, -0.2, 0, null),
    ];

    [Fact]
    public void Scores_are_recorded_after_the_aggregation_in_shard_order()
    {
        var events = Given(RoundOneFullyAccepted()).When(new AggregateRound(1, "model-1", 2.5f, 10, Scores.Reverse().ToArray()), At(120)).Events;

        Assert.IsType<RoundAggregated>(events[0]);
        Assert.Equal(
            [
                new ContributionScored(RunId, 1, 1, "w1", "update-1", ShardTokens, 0.9, 900, null, ContributionScoring.Rule, At(120)),
                new ContributionScored(RunId, 1, 2, "w2", "update-2", ShardTokens, -0.2, 0, null, ContributionScoring.Rule, At(120)),
            ],
            events.Skip(1).Cast<ContributionScored>());
    }

    [Fact]
    public void Scores_that_do_not_cover_the_accepted_updates_are_refused() =>
        Given(RoundOneFullyAccepted())
            .When(new AggregateRound(1, "model-1", 2.5f, 10, Scores[..1]), At(120))
            .ThenThrows<DomainException>("scores must cover exactly its accepted updates");

    [Fact]
    public void A_negative_score_is_refused() =>
        Given(RoundOneFullyAccepted())
            .When(new AggregateRound(1, "model-1", 2.5f, 10, [Scores[0], Scores[1] with { Score = -1 }]), At(120))
            .ThenThrows<DomainException>("must be finite and not negative");
}
