using Federated.Engine.Gpt;
using Federated.Engine.Models;

namespace Federated.Engine.Tests.Gpt;

public class GptModelTests
{
    private static ModelConfig Tiny(int layers = 2, int heads = 2, int width = 32, int context = 16) => new("gpt", new Dictionary<string, int>
    {
        ["layers"] = layers, ["heads"] = heads, ["width"] = width, ["context"] = context,
    });

    private static int[] Text(int n)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", n / 40 + 1)));
        return bytes.Take(n).Select(b => (int)b).ToArray();
    }

    [Fact]
    public void ModelFactory_builds_the_gpt_family()
    {
        var model = ModelFactory.Create(Tiny());
        var gpt = Assert.IsType<GptModel>(model);
        Assert.Equal(256, gpt.VocabSize);
        Assert.Equal(GptParameterLayout.CountParameters(gpt.Config), gpt.ParameterCount);
    }

    [Theory]
    [InlineData(2, 3, 32, 16, "model.width")]
    [InlineData(0, 2, 32, 16, "model.layers")]
    [InlineData(2, 2, 32, 0, "model.context")]
    [InlineData(2, 0, 32, 16, "model.heads")]
    public void Bad_settings_name_the_setting(int layers, int heads, int width, int context, string field)
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelFactory.Create(Tiny(layers, heads, width, context)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void An_unknown_family_is_refused_naming_the_supported_ones()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelFactory.Create(new ModelConfig("rnn", Tiny().Settings)));

        Assert.Equal("model.family", e.Field);
        Assert.Equal("model.family: unknown model family 'rnn'; supported: gpt", e.Message);
    }

    [Fact]
    public void The_removed_bytemlp_family_is_refused_with_a_way_forward()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelFactory.Create(new ModelConfig("bytemlp", new Dictionary<string, int>())));

        Assert.Equal("model.family", e.Field);
        Assert.StartsWith("model.family: the 'bytemlp' family was removed; supported: gpt", e.Message);
    }

    [Fact]
    public void A_missing_setting_is_named()
    {
        var e = Assert.Throws<ModelConfigException>(() => GptModel.FromConfig(new ModelConfig("gpt", new Dictionary<string, int> { ["layers"] = 2 })));
        Assert.Equal("model.context", e.Field);
    }

    [Fact]
    public void Layout_uses_pytorch_names_in_one_contiguous_buffer()
    {
        var layout = new GptParameterLayout(new GptConfig(256, 16, 2, 2, 32));
        Assert.Equal("wte.weight", layout.Tensors[0].Name);
        Assert.Equal([96, 32], layout["h.1.attn.c_attn.weight"].Shape);
        Assert.Equal([32, 128], layout["h.0.mlp.c_proj.weight"].Shape);
        Assert.Equal("ln_f.bias", layout.Tensors[^1].Name);
        Assert.DoesNotContain(layout.Tensors, t => t.Name.StartsWith("lm_head"));
        int expected = 0;
        foreach (var t in layout.Tensors) { Assert.Equal(expected, t.Offset); expected += t.Length; }
        Assert.Equal(layout.Count, expected);
    }

    [Fact]
    public void Initialize_is_reproducible_from_the_seed()
    {
        var model = GptModel.FromConfig(Tiny());
        Assert.Equal(model.Initialize(7), model.Initialize(7));
        Assert.NotEqual(model.Initialize(7), model.Initialize(8));
    }

    [Fact]
    public void Train_gives_the_same_bits_for_any_thread_count()
    {
        var model = GptModel.FromConfig(Tiny());
        var w = model.Initialize(1);
        var tokens = Text(600);
        var one = model.Train(w, tokens, new TrainOptions(3, 4, 1e-3f, 42) { Threads = 1 });
        var two = model.Train(w, tokens, new TrainOptions(3, 4, 1e-3f, 42) { Threads = 2 });
        Assert.Equal(one.Update, two.Update);
        Assert.Equal(one.FinalLoss, two.FinalLoss);
        Assert.Equal(3L * 4 * 16, one.TokensProcessed);
    }

    [Fact]
    public void Training_lowers_the_evaluated_loss()
    {
        var model = GptModel.FromConfig(Tiny());
        var w = model.Initialize(1);
        var tokens = Text(2000);
        float before = model.Evaluate(w, tokens, new EvaluateOptions());
        var result = model.Train(w, tokens, new TrainOptions(40, 8, 3e-3f, 5) { Threads = 2 });
        var trained = w.Zip(result.Update, (a, d) => a + d).ToArray();
        float after = model.Evaluate(trained, tokens, new EvaluateOptions { Threads = 2 });
        Assert.True(after < before - 1f, $"loss {before} -> {after}");
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_named()
    {
        var model = GptModel.FromConfig(Tiny());
        var tokens = Text(100); tokens[37] = 300;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Train(model.Initialize(1), tokens, new TrainOptions(1, 1, 1e-3f, 1)));
        Assert.Contains("token id 300 at position 37", e.Message);
    }

    [Fact]
    public void A_sequence_longer_than_the_context_is_refused()
    {
        var net = new GptNetwork(new GptConfig(256, 16, 1, 1, 8));
        var p = GptInitializer.Initialize(net.Layout, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(p, new int[17], [], 1, 17));
        Assert.Contains("exceeds the configured context 16", e.Message);
    }

    [Fact]
    public void NaN_weights_name_the_tensor()
    {
        var model = GptModel.FromConfig(Tiny());
        var w = model.Initialize(1);
        w[model.Layout["h.1.ln_2.bias"].Offset + 3] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => model.Evaluate(w, Text(50), new EvaluateOptions()));
        Assert.Contains("'h.1.ln_2.bias'", e.Message);
        Assert.Contains("element 3", e.Message);
    }

    [Fact]
    public void Schedule_warms_up_then_decays_to_the_minimum()
    {
        var s = new LearningRateSchedule(1e-3f, 1e-4f, 10, 100);
        Assert.Equal(1e-4f, s.At(0), 6);
        Assert.Equal(1e-3f, s.At(9), 6);
        Assert.Equal(1e-4f, s.At(100), 6);
        Assert.True(s.At(50) < s.At(20));
    }
}
