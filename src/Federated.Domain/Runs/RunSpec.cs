using Federated.Domain.Aggregation;
using Federated.Domain.Verification;

namespace Federated.Domain.Runs;

/// <summary>
/// Everything that defines a training run, as launched and recorded in <see cref="RunEvents.V1.RunLaunched"/>.
/// Defaults make a small run that finishes in seconds; <see cref="RunSpecValidator"/> checks every field.
/// </summary>
public sealed record RunSpec
{
    public string Name { get; init; } = "run";
    public ulong Seed { get; init; } = 1;
    public ModelSpec Model { get; init; } = new();
    public DatasetSpec Dataset { get; init; } = new();
    public int Rounds { get; init; } = 3;
    public int Workers { get; init; } = 2;
    public int ShardsPerRound { get; init; } = 2;
    public int ShardTokens { get; init; } = 16_384;
    public int LocalSteps { get; init; } = 40;
    public int BatchSize { get; init; } = 16;
    public float LearningRate { get; init; } = 3e-3f;
    public float WeightDecay { get; init; } = 0.0f;
    /// <summary>DiLoCo-style outer step: next = base + OuterLearningRate * aggregate(updates). 1.0 is plain FedAvg.</summary>
    public float OuterLearningRate { get; init; } = 1.0f;
    public string Aggregator { get; init; } = "fedavg";
    /// <summary>f: how many of a round's updates may be Byzantine. Unset: a robust aggregator assumes the most it
    /// tolerates for the updates it aggregates (see <see cref="Aggregation.ByzantineTolerance"/>).</summary>
    public int? ByzantineWorkers { get; init; }
    /// <summary>trimmed-mean without byzantineWorkers: the fraction dropped at each end of every coordinate (default 0.25).</summary>
    public double? TrimFraction { get; init; }
    /// <summary>centered-clipping: the radius tau. Unset: the median distance of the updates from their coordinate-wise median.</summary>
    public float? ClippingRadius { get; init; }
    public int EvalTokens { get; init; } = 8_192;
    public int RoundTimeoutSeconds { get; init; } = 600;
    public int LeaseSeconds { get; init; } = 300;
    /// <summary>Fraction of the round's shards that must be accepted to aggregate before the deadline.</summary>
    public double Quorum { get; init; } = 1.0;
    /// <summary>The chain whose EIP-712 domain workers sign their contributions under (and the run pays out on).
    /// Unset: the coordinator's default (31337, a local chain).</summary>
    public long? ChainId { get; init; }
    /// <summary>Spot checks: the coordinator re-trains a sampled fraction of shards and compares the updates bit for bit.</summary>
    public VerificationSpec Verification { get; init; } = new();
    /// <summary>What each aggregated round pays its contributors on chain (see Domain.Rewards.RewardPolicy, which reads the run's record).</summary>
    public RewardSpec Rewards { get; init; } = new();

    /// <summary>The aggregator settings this spec states (the aggregators know nothing of specs).</summary>
    public AggregatorSettings ToAggregatorSettings() => new()
    {
        ByzantineWorkers = ByzantineWorkers,
        TrimFraction = TrimFraction,
        ClippingRadius = ClippingRadius,
    };

    /// <summary>Accepted updates a round of <paramref name="shards"/> shards needs before its deadline. The small
    /// tolerance keeps e.g. 0.56 * 25 from rounding up to 15 through binary floating point.</summary>
    public int QuorumOf(int shards) => Math.Max(1, (int)Math.Ceiling(Quorum * shards - 1e-9));
}

/// <param name="Family">Model family known to the engine: "gpt" (the engine's one family; the engine refuses any other,
/// naming the ones it supports).</param>
/// <param name="Settings">Integer settings of that family (layers, width, ...).</param>
public sealed record ModelSpec(string Family, IReadOnlyDictionary<string, int> Settings)
{
    /// <summary>A spec that names no model trains the demo's small GPT (models/gpt-nano.json).</summary>
    public ModelSpec() : this("gpt", new Dictionary<string, int> { ["vocab"] = 256, ["context"] = 64, ["layers"] = 2, ["heads"] = 2, ["width"] = 64 }) { }
}

/// <param name="Source">"builtin" (the corpus shipped with the product) or "file" (a UTF-8 text file at <paramref name="Path"/>).</param>
/// <param name="ValidationFraction">Tail fraction of the corpus held out for validation; workers never see it.</param>
public sealed record DatasetSpec(string Source, string? Path, double ValidationFraction)
{
    public DatasetSpec() : this("builtin", null, 0.1) { }
}
