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
    public static readonly IReadOnlySet<string> Aggregators = new HashSet<string>(StringComparer.Ordinal) { "fedavg" };
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

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw new RunSpecException(field, message);
    }

    private static void Range(string field, int value, int min, int max) =>
        Require(value >= min && value <= max, field, $"must be between {min} and {max}, got {value}");

    private static void Positive(string field, float value, float max) =>
        Require(float.IsFinite(value) && value > 0 && value <= max, field, $"must be a number in (0, {max}], got {value}");
}
