using System.Diagnostics;
using System.Text;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

/// <summary>Hostile spec text: YAML anchors and aliases (an alias bomb), non-finite numbers, deep nesting and huge
/// documents are refused at once with the field named, before anything is built from them.</summary>
public sealed class SpecInputBoundsTests
{
    private static RunSpecException Fails(Func<object> parse) => Assert.Throws<RunSpecException>(parse);

    /// <summary>Each level holds nine aliases of the one before: <paramref name="levels"/> levels name 9^levels values.</summary>
    private static string AliasBomb(int levels)
    {
        var yaml = new StringBuilder("l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (var i = 1; i < levels; i++)
            yaml.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        return yaml.ToString();
    }

    [Fact]
    public void A_nine_level_alias_bomb_is_refused_at_once()
    {
        var clock = Stopwatch.StartNew();

        var e = Fails(() => RunSpecFile.ParseYaml(AliasBomb(9)));

        Assert.Equal("l0", e.Field);
        Assert.Contains("YAML anchors (&l0, line 1) are not accepted", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void An_alias_is_refused_with_its_field()
    {
        var e = Fails(() => RunSpecFile.ParseYaml("name: a\nrounds: *r\n"));

        Assert.Equal("rounds", e.Field);
        Assert.Contains("YAML aliases (*r, line 2) are not accepted", e.Message);
    }

    [Fact]
    public void An_anchor_on_a_single_value_is_refused() =>
        Assert.Equal("rounds", Fails(() => RunSpecFile.ParseYaml("rounds: &r 3\nworkers: 2\n")).Field);

    [Fact]
    public void An_anchor_on_a_key_is_refused() =>
        Assert.Contains("YAML anchors", Fails(() => RunSpecFile.ParseYaml("&k rounds: 3\n")).Message);

    [Theory]
    [InlineData("learningRate: NaN", "learningRate")]
    [InlineData("learningRate: nan", "learningRate")]
    [InlineData("quorum: Infinity", "quorum")]
    [InlineData("quorum: -Infinity", "quorum")]
    [InlineData("quorum: 1e400", "quorum")]
    [InlineData("quorum: -1e400", "quorum")]
    [InlineData("outerLearningRate: .inf", "outerLearningRate")]
    [InlineData("outerLearningRate: -.inf", "outerLearningRate")]
    [InlineData("outerLearningRate: .NaN", "outerLearningRate")]
    [InlineData("verification:\n  sampleRate: NaN", "verification.sampleRate")]
    [InlineData("dataset:\n  validationFraction: 1e999", "dataset.validationFraction")]
    [InlineData("aggregator: trimmed-mean\ntrimFraction: NaN", "trimFraction")]
    [InlineData("model:\n  settings:\n    hidden: 1e400", "model.settings.hidden")]
    public void A_non_finite_number_is_refused_with_its_field(string yaml, string field)
    {
        var e = Fails(() => RunSpecFile.ParseYaml(yaml + "\n"));

        Assert.Equal(field, e.Field);
        Assert.Contains("must be a finite number", e.Message);
    }

    [Fact]
    public void A_quoted_nan_stays_text() =>
        Assert.Equal("NaN", RunSpecFile.ParseYaml("name: 'NaN'\n").Name);

    [Fact]
    public void A_large_finite_number_still_reaches_the_validator() =>
        Assert.Equal("learningRate", Fails(() => RunSpecFile.ParseYaml("learningRate: 1e300\n")).Field);

    [Fact]
    public void Deep_nesting_is_refused_with_the_depth()
    {
        var yaml = "name: " + new string('[', 10_000) + new string(']', 10_000) + "\n";

        var e = Fails(() => RunSpecFile.ParseYaml(yaml));

        Assert.Contains("nests deeper than 32 levels", e.Message);
    }

    [Fact]
    public void A_document_over_a_mebibyte_is_refused_unread() =>
        Assert.Contains("at most 1048576 are accepted", Fails(() => RunSpecFile.ParseYaml("name: a\n# " + new string('x', 1 << 20) + "\n")).Message);

    [Fact]
    public void A_json_document_over_a_mebibyte_is_refused_unread() =>
        Assert.Contains("at most 1048576 are accepted", Fails(() => RunSpecFile.ParseJson("{ \"name\": \"" + new string('x', 1 << 20) + "\" }")).Message);

    [Fact]
    public void Two_documents_are_refused() =>
        Assert.Contains("one YAML document", Fails(() => RunSpecFile.ParseYaml("name: a\n---\nname: b\n")).Message);

    [Fact]
    public void An_empty_document_is_refused() =>
        Assert.Contains("is empty", Fails(() => RunSpecFile.ParseYaml("# nothing but a comment\n")).Message);

    [Fact]
    public void A_spec_file_larger_than_the_bound_is_refused_without_reading_it_all()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fed-big-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "name: a\n# " + new string('x', 3 << 20) + "\n");

            Assert.Contains("is larger than 1048576 bytes", Fails(() => RunSpecFile.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
