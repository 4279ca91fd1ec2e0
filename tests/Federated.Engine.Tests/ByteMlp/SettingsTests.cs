using Federated.Engine.ByteMlp;

namespace Federated.Engine.Tests.ByteMlp;

public sealed class SettingsTests
{
    private static ModelConfig Config(params (string Key, int Value)[] settings) =>
        new("bytemlp", settings.ToDictionary(s => s.Key, s => s.Value));

    [Fact]
    public void Missing_settings_take_the_defaults()
    {
        var model = ByteMlpModel.FromConfig(Config());

        Assert.Equal(new ByteMlpSettings(8, 16, 128), model.Settings);
        Assert.Equal(256 * 16 + 128 * 8 * 16 + 128 + 256 * 128 + 256, model.ParameterCount);
    }

    [Fact]
    public void The_factory_builds_a_bytemlp()
    {
        var model = ModelFactory.Create(Config(("context", 4), ("embed", 8), ("hidden", 32)));

        Assert.Equal("bytemlp(context=4,embed=8,hidden=32)", model.Describe());
    }

    [Theory]
    [InlineData("context", 0)]
    [InlineData("context", 1025)]
    [InlineData("embed", -1)]
    [InlineData("embed", 5000)]
    [InlineData("hidden", 0)]
    [InlineData("hidden", 100000)]
    public void An_out_of_range_setting_is_named(string key, int value)
    {
        var error = Assert.Throws<ModelConfigException>(() => ByteMlpModel.FromConfig(Config((key, value))));

        Assert.Equal($"model.{key}", error.Field);
        Assert.Contains(value.ToString(), error.Message);
    }

    [Fact]
    public void A_misspelt_setting_is_refused_rather_than_defaulted()
    {
        var error = Assert.Throws<ModelConfigException>(() => ByteMlpModel.FromConfig(Config(("hiden", 64))));

        Assert.Equal("model.hiden", error.Field);
    }

    [Fact]
    public void Sizes_that_are_each_legal_but_too_large_together_are_refused()
    {
        var error = Assert.Throws<ModelConfigException>(() => new ByteMlpSettings(context: 1024, embed: 1024, hidden: 1024));

        Assert.Equal("model", error.Field);
    }

    [Fact]
    public void Another_family_is_refused()
    {
        var error = Assert.Throws<ModelConfigException>(() => ByteMlpModel.FromConfig(new ModelConfig("gpt", new Dictionary<string, int>())));

        Assert.Equal("model.family", error.Field);
    }

    [Fact]
    public void The_layout_tiles_the_vector_in_order()
    {
        var layout = new ByteMlpLayout(new ByteMlpSettings(3, 4, 5));

        Assert.Equal(["wte", "w1", "b1", "w2", "b2"], layout.Slices.Select(s => s.Name));
        Assert.Equal(0, layout.Slices[0].Offset);
        for (var i = 1; i < layout.Slices.Count; i++) Assert.Equal(layout.Slices[i - 1].End, layout.Slices[i].Offset);
        Assert.Equal(layout.Count, layout.Slices[^1].End);
        Assert.Equal([true, true, false, true, false], layout.Slices.Select(s => s.IsMatrix));
    }
}
