using Federated.Engine.Parameters;

namespace Federated.Engine.ByteMlp;

/// <summary>
/// The one place that sizes the flat parameter vector from the settings. Weights, gradients and both
/// AdamW moments share this layout. Matrices are stored (out, in), row-major, so each output unit's
/// weights are one contiguous row.
/// </summary>
public sealed class ByteMlpLayout
{
    public const int Vocab = 256;

    public ByteMlpSettings Settings { get; }

    /// <summary>Width of the concatenated context embeddings, context * embed.</summary>
    public int Input { get; }

    public ParameterSlice Wte { get; } // (V, E) token embeddings
    public ParameterSlice W1 { get; }  // (H, C*E) hidden weights
    public ParameterSlice B1 { get; }  // (H) hidden bias
    public ParameterSlice W2 { get; }  // (V, H) output weights
    public ParameterSlice B2 { get; }  // (V) output bias

    /// <summary>All tensors in storage order; they tile [0, Count) without gaps.</summary>
    public IReadOnlyList<ParameterSlice> Slices { get; }

    public int Count { get; }

    public ByteMlpLayout(ByteMlpSettings settings)
    {
        Settings = settings;
        Input = settings.Context * settings.Embed;
        int offset = 0;
        ParameterSlice Next(string name, int length, bool isMatrix)
        {
            var slice = new ParameterSlice(name, offset, length, isMatrix);
            offset += length;
            return slice;
        }
        Wte = Next("wte", Vocab * settings.Embed, isMatrix: true);
        W1 = Next("w1", settings.Hidden * Input, isMatrix: true);
        B1 = Next("b1", settings.Hidden, isMatrix: false);
        W2 = Next("w2", Vocab * settings.Hidden, isMatrix: true);
        B2 = Next("b2", Vocab, isMatrix: false);
        Slices = [Wte, W1, B1, W2, B2];
        Count = offset;
    }
}
