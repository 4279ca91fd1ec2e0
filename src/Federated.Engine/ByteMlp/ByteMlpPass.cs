namespace Federated.Engine.ByteMlp;

/// <summary>
/// Forward and backward of the whole model over a batch of windows, with the activation buffers sized
/// once for the largest batch. Forward caches what backward needs, so <see cref="Backward"/> must follow a
/// <see cref="Forward"/> with the same arguments.
/// </summary>
public sealed class ByteMlpPass
{
    private readonly ByteMlpLayout _layout;
    private readonly float[] _x;       // (B, C*E) concatenated context embeddings
    private readonly float[] _hPre;    // (B, H) hidden pre-activation
    private readonly float[] _h;       // (B, H) tanh(hPre)
    private readonly float[] _logits;  // (B, V)
    private readonly float[] _probs;   // (B, V) softmax(logits)
    private readonly float[] _losses;  // (B) per-window cross-entropy
    private readonly float[] _dx;      // (B, C*E)
    private readonly float[] _dhPre;   // (B, H)
    private readonly float[] _dh;      // (B, H)
    private readonly float[] _dlogits; // (B, V)

    public ByteMlpPass(ByteMlpLayout layout, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        _layout = layout;
        MaxBatch = maxBatch;
        int h = layout.Settings.Hidden;
        _x = new float[maxBatch * layout.Input];
        _hPre = new float[maxBatch * h];
        _h = new float[maxBatch * h];
        _logits = new float[maxBatch * ByteMlpLayout.Vocab];
        _probs = new float[maxBatch * ByteMlpLayout.Vocab];
        _losses = new float[maxBatch];
        _dx = new float[_x.Length];
        _dhPre = new float[_hPre.Length];
        _dh = new float[_h.Length];
        _dlogits = new float[_logits.Length];
    }

    public int MaxBatch { get; }

    /// <summary>(B, V) logits of the last forward pass.</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>(B) per-window losses of the last forward pass.</summary>
    public ReadOnlySpan<float> Losses => _losses;

    /// <param name="weights">(P) flat parameters.</param>
    /// <param name="contexts">(B, C) token ids in [0, 256).</param>
    /// <param name="targets">(B) token ids in [0, 256).</param>
    /// <returns>Mean cross-entropy over the batch, accumulated in double.</returns>
    public double Forward(ReadOnlySpan<float> weights, ReadOnlySpan<int> contexts, ReadOnlySpan<int> targets, int batch)
    {
        CheckBatch(batch);
        var l = _layout;
        int c = l.Settings.Context, e = l.Settings.Embed, h = l.Settings.Hidden;
        const int v = ByteMlpLayout.Vocab;
        ByteMlpLayers.EmbeddingForward(_x, contexts, l.Wte.Of(weights), batch, c, e);
        ByteMlpLayers.LinearForward(_hPre, _x, l.W1.Of(weights), l.B1.Of(weights), batch, l.Input, h);
        ByteMlpLayers.TanhForward(_h, _hPre, batch * h);
        ByteMlpLayers.LinearForward(_logits, _h, l.W2.Of(weights), l.B2.Of(weights), batch, h, v);
        ByteMlpLayers.SoftmaxCrossEntropyForward(_probs, _losses, _logits, targets, batch, v);
        double sum = 0;
        for (var b = 0; b < batch; b++) sum += _losses[b];
        return sum / batch;
    }

    /// <summary>Accumulates the gradient of the batch-mean loss into <paramref name="grads"/> (P).</summary>
    public void Backward(Span<float> grads, ReadOnlySpan<float> weights, ReadOnlySpan<int> contexts, ReadOnlySpan<int> targets, int batch)
    {
        CheckBatch(batch);
        var l = _layout;
        int c = l.Settings.Context, e = l.Settings.Embed, h = l.Settings.Hidden;
        const int v = ByteMlpLayout.Vocab;
        // Activation gradients are scratch for this pass; parameter gradients accumulate.
        Array.Clear(_dx);
        Array.Clear(_dhPre);
        Array.Clear(_dh);
        Array.Clear(_dlogits);
        ByteMlpLayers.SoftmaxCrossEntropyBackward(_dlogits, _probs, targets, 1f / batch, batch, v);
        ByteMlpLayers.LinearBackward(_dh, l.W2.Of(grads), l.B2.Of(grads), _dlogits, _h, l.W2.Of(weights), batch, h, v);
        ByteMlpLayers.TanhBackward(_dhPre, _dh, _h, batch * h);
        ByteMlpLayers.LinearBackward(_dx, l.W1.Of(grads), l.B1.Of(grads), _dhPre, _x, l.W1.Of(weights), batch, l.Input, h);
        ByteMlpLayers.EmbeddingBackward(l.Wte.Of(grads), _dx, contexts, batch, c, e);
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"must be between 1 and {MaxBatch}");
    }
}
