using System.Text;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Serialization;
using Federated.Testing;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests.Hostile;

/// <summary>The other JSON the coordinator reads from outside: run specs (a launch request carries one) and stored
/// events (a tampered log). Seeded mutations either decode or fail with the decoder's own exception.</summary>
public sealed class DecoderMutationTests
{
    private static readonly string SpecJson = RunSpecFile.ToJson(TestRun.SmallSpec() with { Aggregator = "multi-krum", Workers = 8, ShardsPerRound = 8, ChainId = 5 });

    [Fact]
    public void Three_thousand_mutated_run_specs_parse_or_name_a_field()
    {
        int parsed = 0, refused = 0;
        foreach (var bytes in HostileBytes.Mutations(Encoding.UTF8.GetBytes(SpecJson), seed: 9, count: 3000))
        {
            var text = Encoding.UTF8.GetString(bytes);
            try
            {
                RunSpecFile.ParseJson(text);
                parsed++;
            }
            catch (RunSpecException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Field), $"no field named in \"{e.Message}\" for {text}");
                refused++;
            }
        }

        Assert.True(parsed > 0 && refused > 0, $"parsed {parsed}, refused {refused}");
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"rounds\": 1e400}", "rounds")]
    [InlineData("{\"name\": \"x\", \"chainId\": 0}", "chainId")]
    [InlineData("{\"name\": \"x\", \"seed\": -1}", "seed")]
    [InlineData("[1]", "spec")]
    [InlineData("{\"name\": \"x\", \"\": 8}", "\"\"")]
    public void A_hostile_spec_value_names_its_field(string json, string field) =>
        Assert.Equal(field, Assert.Throws<RunSpecException>(() => RunSpecFile.ParseJson(json)).Field);

    [Fact]
    public void A_deeply_nested_spec_is_refused_as_invalid_json() =>
        Assert.Equal("spec", Assert.Throws<RunSpecException>(() => RunSpecFile.ParseJson(new string('[', 100_000) + new string(']', 100_000))).Field);

    [Fact]
    public void Three_thousand_mutated_stored_events_decode_or_fail_as_undecodable()
    {
        var events = new object[]
        {
            new RunLaunched("run-1", TestRun.SmallSpec(), "m", 10, "h", "t", 1, "v", 1, 5f, DateTimeOffset.UnixEpoch),
            new ContributionSigned("run-1", 1, 2, "lease", "w1", "0xabc", "0xsig", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            new RoundAggregated("run-1", 1, "a", "b", "fedavg", 1f, [new AggregatedUpdate(1, "w1", "u", 5)], new RoundMetrics(1, 2, 3, 4, 5, 6), DateTimeOffset.UnixEpoch),
        };
        int decoded = 0, refused = 0;
        foreach (var e in events)
        {
            var data = RunEventCodec.Encode(e, "run-run-1", 0);
            foreach (var bytes in HostileBytes.Mutations(data.Data.ToArray(), seed: 10, count: 1000))
            {
                var recorded = new RecordedEvent("run-run-1", 0, 1, data.EventId, data.EventType, bytes, [], DateTimeOffset.UnixEpoch, new byte[32], new byte[32]);
                try
                {
                    RunEventCodec.Decode(recorded);
                    decoded++;
                }
                catch (EventDeserializationException)
                {
                    refused++;
                }
            }
        }

        Assert.True(decoded > 0 && refused > 0, $"decoded {decoded}, refused {refused}");
    }
}
