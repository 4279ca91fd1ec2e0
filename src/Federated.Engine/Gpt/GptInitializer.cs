using Federated.Engine.Numerics;

namespace Federated.Engine.Gpt;

/// <summary>
/// GPT-2's initialisation: matrices and embeddings N(0, 0.02), the two residual projections per block
/// (attn.c_proj, mlp.c_proj) N(0, 0.02/sqrt(2*layers)), biases 0, LayerNorm gains 1.
/// Tensors are filled in layout order from one stream, so a seed fixes every weight.
/// </summary>
public static class GptInitializer
{
    public static float[] Initialize(GptParameterLayout layout, ulong seed)
    {
        var weights = new float[layout.Count];
        var rng = new SeededRandom(seed);
        double residualStd = 0.02 / Math.Sqrt(2.0 * layout.Config.Layers);
        foreach (var t in layout.Tensors)
        {
            var view = weights.AsSpan(t.Offset, t.Length);
            if (t.Name.EndsWith("ln_1.weight") || t.Name.EndsWith("ln_2.weight") || t.Name == "ln_f.weight")
                view.Fill(1f);
            else if (t.Decay)
            {
                double std = t.Name.EndsWith("c_proj.weight") ? residualStd : 0.02;
                for (int i = 0; i < view.Length; i++) view[i] = (float)(std * rng.NextGaussian());
            }
            // biases stay 0
        }
        return weights;
    }
}
