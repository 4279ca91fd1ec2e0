using Federated.Domain.Aggregation;

namespace Federated.Domain.Runs;

/// <summary>A run spec field that is missing, out of range or inconsistent with another field.</summary>
public sealed class RunSpecException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
    public string Detail { get; } = message;
}

/// <summary>Checks a <see cref="RunSpec"/>; the first problem found is thrown as a <see cref="RunSpecException"/>
/// whose field is the spec's JSON path (e.g. "model.family", "rounds").</summary>
public static class RunSpecValidator
{
    public static readonly IReadOnlySet<string> Aggregators = new HashSet<string>(Aggregation.Aggregators.Names, StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> DatasetSources = new HashSet<string>(StringComparer.Ordinal) { "builtin", "file" };

    public static RunSpec Validate(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Require(!string.IsNullOrWhiteSpace(spec.Name), "name", "must not be empty");
        Require(spec.Name.Length <= 100, "name", $"must be at most 100 characters, got {spec.Name.Length}");
        Range("rounds", spec.Rounds, 1, 100_000);
        Range("workers", spec.Workers, 1, 1_024);
        Range("shardsPerRound", spec.ShardsPerRound, 1, 65_536);
        Range("shardTokens", spec.ShardTokens, 2, 1 << 28);
        Range("localSteps", spec.LocalSteps, 1, 1_000_000);
        Range("batchSize", spec.BatchSize, 1, 65_536);
        Range("evalTokens", spec.EvalTokens, 1, 1 << 28);
        Range("roundTimeoutSeconds", spec.RoundTimeoutSeconds, 1, 7 * 24 * 3600);
        Range("leaseSeconds", spec.LeaseSeconds, 1, 7 * 24 * 3600);
        Positive("learningRate", spec.LearningRate, 10f);
        Require(float.IsFinite(spec.WeightDecay) && spec.WeightDecay >= 0 && spec.WeightDecay <= 1, "weightDecay", $"must be between 0 and 1, got {spec.WeightDecay}");
        Positive("outerLearningRate", spec.OuterLearningRate, 10f);
        Require(!double.IsNaN(spec.Quorum) && spec.Quorum > 0 && spec.Quorum <= 1, "quorum", $"must be in (0, 1], got {spec.Quorum}");
        Require(Aggregators.Contains(spec.Aggregator ?? ""), "aggregator", $"unknown aggregator '{spec.Aggregator}' (known: {string.Join(", ", Aggregators)})");
        AggregatorPreconditions(spec);
        Require(spec.Verification is not null, "verification", "must be an object such as { sampleRate: 0.1 }");
        Require(!double.IsNaN(spec.Verification!.SampleRate) && spec.Verification.SampleRate >= 0 && spec.Verification.SampleRate <= 1,
            "verification.sampleRate", $"must be between 0 and 1, got {spec.Verification.SampleRate}");
        Bound("verification.maxUpdateValue", spec.Verification.MaxUpdateValue, 0);
        Bound("verification.maxUpdateNormRatio", spec.Verification.MaxUpdateNormRatio, 0);
        Bound("verification.maxNormToMedian", spec.Verification.MaxNormToMedian, 1);
        if (spec.ChainId is { } chainId)
            Require(chainId >= 1 && chainId <= (1L << 53) - 1, "chainId", $"must be between 1 and 2^53 - 1, got {chainId}");
        Require(spec.Rewards is not null, "rewards", "must be an object such as { poolPerRound: \"100000000000000000000\" }");
        spec.Rewards!.Pool();

        Require(spec.Model is not null, "model", "is required");
        Require(!string.IsNullOrWhiteSpace(spec.Model!.Family), "model.family", "must not be empty");
        Require(spec.Model.Settings is not null, "model.settings", "must be an object of integer settings");

        Require(spec.Dataset is not null, "dataset", "is required");
        var dataset = spec.Dataset!;
        Require(DatasetSources.Contains(dataset.Source ?? ""), "dataset.source", $"unknown source '{dataset.Source}' (known: {string.Join(", ", DatasetSources)})");
        if (dataset.Source == "file")
            Require(!string.IsNullOrWhiteSpace(dataset.Path), "dataset.path", "is required when dataset.source is 'file'");
        Require(!double.IsNaN(dataset.ValidationFraction) && dataset.ValidationFraction > 0 && dataset.ValidationFraction < 0.5,
            "dataset.validationFraction", $"must be in (0, 0.5), got {dataset.ValidationFraction}");
        return spec;
    }

    /// <summary>The aggregator's settings fit it, and every round can hold its Byzantine tolerance: with the full
    /// shardsPerRound and with the fewest updates the quorum lets a round aggregate. A robust aggregator with
    /// byzantineWorkers unset must tolerate at least one.</summary>
    private static void AggregatorPreconditions(RunSpec spec)
    {
        var name = spec.Aggregator;
        if (spec.TrimFraction is { } trim)
        {
            Require(name == TrimmedMean.AggregatorName, "trimFraction", $"only applies to aggregator '{TrimmedMean.AggregatorName}', not '{name}'");
            Require(spec.ByzantineWorkers is null, "trimFraction", "set either byzantineWorkers or trimFraction for trimmed-mean, not both");
            Require(!double.IsNaN(trim) && trim > 0 && trim < 0.5, "trimFraction", $"must be in (0, 0.5), got {trim}");
        }
        if (spec.ClippingRadius is { } radius)
        {
            Require(name == CenteredClipping.AggregatorName, "clippingRadius", $"only applies to aggregator '{CenteredClipping.AggregatorName}', not '{name}'");
            Positive("clippingRadius", radius, 1e6f);
        }
        if (spec.ByzantineWorkers is { } f)
        {
            Require(f >= 0, "byzantineWorkers", $"must be zero or more, got {f}");
            Require(f == 0 || name != FedAvg.AggregatorName, "byzantineWorkers",
                $"fedavg tolerates no byzantine workers, got {f}; choose one of {string.Join(", ", Aggregation.Aggregators.Names.Skip(1))}");
        }
        if (name == FedAvg.AggregatorName) return;

        var requirement = name == MultiKrum.AggregatorName ? "> 2*byzantineWorkers + 2" : "> 2*byzantineWorkers";
        var fewest = spec.QuorumOf(spec.ShardsPerRound);
        if (spec.ByzantineWorkers is { } stated)
        {
            Require(stated <= ByzantineTolerance.MaxFor(name, spec.ShardsPerRound), "aggregator",
                $"{name} needs shardsPerRound {requirement}, got {spec.ShardsPerRound} and {stated}");
            Require(stated <= ByzantineTolerance.MaxFor(name, fewest), "aggregator",
                $"{name} needs every aggregated round to hold {requirement} updates, but quorum {spec.Quorum} of shardsPerRound {spec.ShardsPerRound} lets a round aggregate {fewest} (byzantineWorkers {stated})");
        }
        else
        {
            Require(ByzantineTolerance.MaxFor(name, fewest) >= 1, "aggregator",
                $"{name} with byzantineWorkers unset must tolerate at least 1, which needs {(fewest == spec.ShardsPerRound ? "shardsPerRound" : "the quorum's update count")} {requirement} with byzantineWorkers 1, got {fewest}");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw new RunSpecException(field, message);
    }

    private static void Range(string field, int value, int min, int max) =>
        Require(value >= min && value <= max, field, $"must be between {min} and {max}, got {value}");

    /// <summary>A finite bound of at least <paramref name="min"/> (and above it when min is 0: a zero bound refuses every update).</summary>
    private static void Bound(string field, double value, double min) =>
        Require(double.IsFinite(value) && (min == 0 ? value > 0 : value >= min), field,
            $"must be a finite number {(min == 0 ? "above 0" : $"of at least {min}")}, got {value}");

    private static void Positive(string field, float value, float max) =>
        Require(float.IsFinite(value) && value > 0 && value <= max, field, $"must be a number in (0, {max}], got {value}");
}
