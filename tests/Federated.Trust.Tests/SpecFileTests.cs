using Federated.Coordinator.Specs;
using Federated.Domain.Aggregation;
using Federated.Domain.Runs;

namespace Federated.Trust.Tests;

/// <summary>Spec files state the aggregator and its settings under their JSON names.</summary>
public class SpecFileTests
{
    private const string MultiKrum = """
        { "name": "robust", "workers": 8, "shardsPerRound": 8, "aggregator": "multi-krum", "byzantineWorkers": 2 }
        """;

    [Fact]
    public void A_spec_file_states_byzantine_workers_for_the_aggregator() =>
        Assert.Equal(new AggregatorSettings { ByzantineWorkers = 2 }, RunSpecFile.ParseJson(MultiKrum).ToAggregatorSettings());

    [Fact]
    public void A_spec_file_without_aggregator_settings_leaves_them_unset() =>
        Assert.Equal(AggregatorSettings.Default, RunSpecFile.ParseJson("""{ "name": "plain" }""").ToAggregatorSettings());

    [Fact]
    public void The_settings_survive_a_round_trip_through_json()
    {
        var spec = RunSpecFile.ParseJson("""
            { "workers": 8, "shardsPerRound": 8, "aggregator": "centered-clipping", "clippingRadius": 0.5 }
            """);

        Assert.Equal(0.5f, RunSpecFile.ParseJson(RunSpecFile.ToJson(spec)).ClippingRadius);
    }

    [Fact]
    public void A_spec_file_with_too_many_byzantine_workers_names_the_aggregator_field()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpecFile.ParseJson(MultiKrum.Replace("\"byzantineWorkers\": 2", "\"byzantineWorkers\": 3")));

        Assert.Equal("aggregator", error.Field);
    }
}
