using System.Text.Json.Nodes;

namespace Federated.Distributed.Tests;

/// <summary>Small GPT runs (one layer, width 16): a shard trains in about a second, so a round takes seconds and faults land mid-round.</summary>
public static class TestSpecs
{
    public const int Rounds = 3;
    public const int ShardsPerRound = 2;

    /// <param name="leaseSeconds">Short, so a lost shard goes to another worker quickly; long enough for a shard on a busy machine.</param>
    public static JsonObject Small(ulong seed = 11, int leaseSeconds = 8, int rounds = Rounds) => new()
    {
        ["name"] = "distributed-test",
        ["seed"] = seed,
        ["model"] = new JsonObject
        {
            ["family"] = "gpt",
            ["settings"] = new JsonObject { ["context"] = 8, ["layers"] = 1, ["heads"] = 2, ["width"] = 16 },
        },
        ["dataset"] = new JsonObject { ["source"] = "builtin", ["validationFraction"] = 0.1 },
        ["rounds"] = rounds,
        ["workers"] = 2,
        ["shardsPerRound"] = ShardsPerRound,
        ["shardTokens"] = 8192,
        ["localSteps"] = 60,
        ["batchSize"] = 16,
        ["learningRate"] = 0.003,
        ["evalTokens"] = 4096,
        ["leaseSeconds"] = leaseSeconds,
        ["roundTimeoutSeconds"] = 240,
    };
}
