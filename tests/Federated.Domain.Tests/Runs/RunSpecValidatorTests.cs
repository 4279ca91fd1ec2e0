using Federated.Domain.Runs;
using Federated.Domain.Verification;

namespace Federated.Domain.Tests.Runs;

public class RunSpecValidatorTests
{
    private static readonly RunSpec Valid = new();

    /// <summary>Each broken spec, by a short description, with the JSON path its error must name.</summary>
    private static readonly Dictionary<string, (RunSpec Spec, string Field)> Broken = new()
    {
        ["empty name"] = (Valid with { Name = " " }, "name"),
        ["name of 101 characters"] = (Valid with { Name = new string('x', 101) }, "name"),
        ["rounds 0"] = (Valid with { Rounds = 0 }, "rounds"),
        ["rounds 100001"] = (Valid with { Rounds = 100_001 }, "rounds"),
        ["workers 0"] = (Valid with { Workers = 0 }, "workers"),
        ["workers 1025"] = (Valid with { Workers = 1_025 }, "workers"),
        ["shardsPerRound 0"] = (Valid with { ShardsPerRound = 0 }, "shardsPerRound"),
        ["shardsPerRound 65537"] = (Valid with { ShardsPerRound = 65_537 }, "shardsPerRound"),
        ["shardTokens 1"] = (Valid with { ShardTokens = 1 }, "shardTokens"),
        ["shardTokens 2^28+1"] = (Valid with { ShardTokens = (1 << 28) + 1 }, "shardTokens"),
        ["localSteps 0"] = (Valid with { LocalSteps = 0 }, "localSteps"),
        ["batchSize 0"] = (Valid with { BatchSize = 0 }, "batchSize"),
        ["batchSize 65537"] = (Valid with { BatchSize = 65_537 }, "batchSize"),
        ["evalTokens 0"] = (Valid with { EvalTokens = 0 }, "evalTokens"),
        ["roundTimeoutSeconds 0"] = (Valid with { RoundTimeoutSeconds = 0 }, "roundTimeoutSeconds"),
        ["roundTimeoutSeconds over a week"] = (Valid with { RoundTimeoutSeconds = 7 * 24 * 3600 + 1 }, "roundTimeoutSeconds"),
        ["leaseSeconds 0"] = (Valid with { LeaseSeconds = 0 }, "leaseSeconds"),
        ["learningRate 0"] = (Valid with { LearningRate = 0 }, "learningRate"),
        ["learningRate NaN"] = (Valid with { LearningRate = float.NaN }, "learningRate"),
        ["learningRate 11"] = (Valid with { LearningRate = 11 }, "learningRate"),
        ["weightDecay -0.1"] = (Valid with { WeightDecay = -0.1f }, "weightDecay"),
        ["weightDecay 1.5"] = (Valid with { WeightDecay = 1.5f }, "weightDecay"),
        ["outerLearningRate 0"] = (Valid with { OuterLearningRate = 0 }, "outerLearningRate"),
        ["outerLearningRate infinite"] = (Valid with { OuterLearningRate = float.PositiveInfinity }, "outerLearningRate"),
        ["quorum 0"] = (Valid with { Quorum = 0 }, "quorum"),
        ["quorum 1.01"] = (Valid with { Quorum = 1.01 }, "quorum"),
        ["quorum NaN"] = (Valid with { Quorum = double.NaN }, "quorum"),
        ["unknown aggregator"] = (Valid with { Aggregator = "krum" }, "aggregator"),
        ["no model"] = (Valid with { Model = null! }, "model"),
        ["empty model family"] = (Valid with { Model = new ModelSpec("", new Dictionary<string, int>()) }, "model.family"),
        ["no model settings"] = (Valid with { Model = new ModelSpec("gpt", null!) }, "model.settings"),
        ["no dataset"] = (Valid with { Dataset = null! }, "dataset"),
        ["unknown dataset source"] = (Valid with { Dataset = new DatasetSpec("s3", null, 0.1) }, "dataset.source"),
        ["file dataset without a path"] = (Valid with { Dataset = new DatasetSpec("file", " ", 0.1) }, "dataset.path"),
        ["validationFraction 0"] = (Valid with { Dataset = new DatasetSpec("builtin", null, 0) }, "dataset.validationFraction"),
        ["validationFraction 0.5"] = (Valid with { Dataset = new DatasetSpec("builtin", null, 0.5) }, "dataset.validationFraction"),
        ["validationFraction NaN"] = (Valid with { Dataset = new DatasetSpec("builtin", null, double.NaN) }, "dataset.validationFraction"),
        ["maxUpdateValue 0"] = (Valid with { Verification = new VerificationSpec { MaxUpdateValue = 0 } }, "verification.maxUpdateValue"),
        ["maxUpdateValue NaN"] = (Valid with { Verification = new VerificationSpec { MaxUpdateValue = double.NaN } }, "verification.maxUpdateValue"),
        ["maxUpdateNormRatio infinite"] = (Valid with { Verification = new VerificationSpec { MaxUpdateNormRatio = double.PositiveInfinity } }, "verification.maxUpdateNormRatio"),
        ["maxUpdateNormRatio -1"] = (Valid with { Verification = new VerificationSpec { MaxUpdateNormRatio = -1 } }, "verification.maxUpdateNormRatio"),
        ["maxNormToMedian 0.5"] = (Valid with { Verification = new VerificationSpec { MaxNormToMedian = 0.5 } }, "verification.maxNormToMedian"),
    };

    public static TheoryData<string> BrokenSpecs => [.. Broken.Keys];

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public void A_broken_field_is_named_in_the_error(string broken)
    {
        var (spec, field) = Broken[broken];

        var error = Assert.Throws<RunSpecException>(() => RunSpecValidator.Validate(spec));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void The_message_starts_with_the_field_and_says_what_was_found()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpecValidator.Validate(Valid with { Rounds = 0 }));

        Assert.Equal("rounds: must be between 1 and 100000, got 0", error.Message);
    }

    [Fact]
    public void The_default_spec_is_valid() => Assert.Same(Valid, RunSpecValidator.Validate(Valid));

    [Fact]
    public void A_file_dataset_with_a_path_is_valid()
    {
        var spec = Valid with { Dataset = new DatasetSpec("file", "corpus.txt", 0.1) };

        Assert.Same(spec, RunSpecValidator.Validate(spec));
    }

    [Fact]
    public void The_bounds_themselves_are_valid()
    {
        var spec = Valid with
        {
            Rounds = 100_000, Workers = 1, ShardsPerRound = 65_536, ShardTokens = 2, LearningRate = 10, WeightDecay = 1,
            Quorum = 1, RoundTimeoutSeconds = 7 * 24 * 3600,
        };

        Assert.Same(spec, RunSpecValidator.Validate(spec));
    }
}
