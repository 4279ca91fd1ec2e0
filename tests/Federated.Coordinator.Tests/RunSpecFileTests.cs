using Federated.Coordinator.Specs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

public sealed class RunSpecFileTests
{
    private static RunSpecException Fails(Func<RunSpec> parse) => Assert.Throws<RunSpecException>(() => parse());

    [Fact]
    public void A_json_spec_is_read_with_its_nested_settings()
    {
        var spec = RunSpecFile.ParseJson("""{ "name": "a", "rounds": 4, "model": { "family": "gpt", "settings": { "layers": 2 } } }""");

        Assert.Equal(2, spec.Model.Settings["layers"]);
    }

    [Fact]
    public void A_yaml_spec_reads_the_same_as_its_json()
    {
        var yaml = RunSpecFile.ParseYaml("name: a\nrounds: 4\nlearningRate: 0.01\nmodel:\n  family: gpt\n  settings:\n    layers: 2\n");
        var json = RunSpecFile.ParseJson("""{ "name": "a", "rounds": 4, "learningRate": 0.01, "model": { "family": "gpt", "settings": { "layers": 2 } } }""");

        Assert.Equal(RunSpecFile.ToJson(json), RunSpecFile.ToJson(yaml));
    }

    [Fact]
    public void An_unknown_key_is_named() =>
        Assert.Equal("roundz", Fails(() => RunSpecFile.ParseJson("""{ "roundz": 3 }""")).Field);

    [Fact]
    public void A_value_of_the_wrong_type_is_named_with_the_expected_type()
    {
        var e = Fails(() => RunSpecFile.ParseJson("""{ "rounds": "three" }"""));

        Assert.Equal(("rounds", "must be a whole number"), (e.Field, e.Detail));
    }

    [Fact]
    public void A_nested_wrong_type_is_named_by_its_path() =>
        Assert.Equal("model.settings.layers", Fails(() => RunSpecFile.ParseYaml("model:\n  family: gpt\n  settings:\n    layers: lots\n")).Field);

    [Fact]
    public void An_out_of_range_value_is_named() =>
        Assert.Equal("rounds", Fails(() => RunSpecFile.ParseYaml("rounds: 0\n")).Field);

    [Fact]
    public void Broken_json_reports_its_line() =>
        Assert.Contains("line 2", Fails(() => RunSpecFile.ParseJson("{\n \"rounds\": ,\n}")).Message);

    [Fact]
    public void Broken_yaml_reports_its_line() =>
        Assert.Contains("not valid YAML (line 2", Fails(() => RunSpecFile.ParseYaml("name: a\nrounds: : 2\n")).Message);

    [Fact]
    public void A_key_given_twice_in_yaml_is_refused_with_its_line() =>
        Assert.Contains("line 2", Fails(() => RunSpecFile.ParseYaml("rounds: 1\nrounds: 2\n")).Message);

    [Fact]
    public void A_spec_that_is_not_an_object_is_refused() =>
        Assert.Equal("spec", Fails(() => RunSpecFile.ParseJson("[1, 2]")).Field);

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Fails(() => RunSpecFile.Load("/nonexistent/spec.yaml"));

        Assert.Contains("/nonexistent/spec.yaml", e.Message);
    }

    [Theory]
    [InlineData("demo.yaml")]
    [InlineData("gpt-4workers.json")]
    public void The_specs_shipped_in_models_are_valid(string file)
    {
        var path = Path.Combine(RepositoryRoot(), "models", file);

        var spec = RunSpecFile.Load(path);

        Assert.Equal(spec, RunSpecValidator.Validate(spec));
        Assert.Equal("gpt", Models.SpecModels.Create(spec.Model).Describe()[..3]);
    }

    [Fact]
    public void A_spec_naming_the_removed_bytemlp_family_is_refused_naming_the_supported_one()
    {
        var spec = RunSpecFile.ParseYaml("model:\n  family: bytemlp\n  settings:\n    context: 8\n");

        var e = Assert.Throws<RunSpecException>(() => Models.SpecModels.Create(spec.Model));

        Assert.Equal("model.family", e.Field);
        Assert.Contains("supported: gpt", e.Message);
    }

    [Fact]
    public void A_spec_that_names_no_model_trains_the_small_gpt() =>
        Assert.Equal("gpt(vocab=256,context=64,layers=2,heads=2,width=64)", Models.SpecModels.Create(RunSpecFile.ParseYaml("name: a\n").Model).Describe());

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Federated.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Federated.sln not found above the test directory");
    }
}
