namespace Federated.Engine.Gpt;

/// <summary>
/// What the forward pass keeps for the backward pass, plus the backward pass's scratch, sized for one
/// (B,T). Per-layer buffers are separate arrays: they are only ever touched whole, by one op at a time.
/// </summary>
internal sealed class GptActivations
{
    public int B { get; }
    public int T { get; }

    public readonly float[] Encoded;                       // (B,T,C)
    public readonly float[][] Ln1, Ln1Mean, Ln1Rstd;       // (B,T,C), (B,T), (B,T)
    public readonly float[][] Qkv;                         // (B,T,3C)
    public readonly float[][] Att;                         // (B,H,T,T)
    public readonly float[][] Atty;                        // (B,T,C)
    public readonly float[][] Residual2;                   // (B,T,C)
    public readonly float[][] Ln2, Ln2Mean, Ln2Rstd;       // (B,T,C), (B,T), (B,T)
    public readonly float[][] Fch, FchGelu;                // (B,T,4C)
    public readonly float[][] Residual3;                   // (B,T,C)
    public readonly float[] Lnf, LnfMean, LnfRstd;         // (B,T,C), (B,T), (B,T)
    public readonly float[] Logits, Probs;                 // (B,T,V)
    public readonly float[] Losses;                        // (B,T)

    // backward scratch, reused layer after layer
    public readonly float[] Branch;                        // (B,T,C) a projection's output before the residual add
    public readonly float[] DResidual;                     // (B,T,C) gradient flowing down the residual stream
    public readonly float[] DLn;                           // (B,T,C)
    public readonly float[] DAtty;                         // (B,T,C)
    public readonly float[] DQkv;                          // (B,T,3C)
    public readonly float[] DFch, DFchGelu;                // (B,T,4C)
    public readonly float[] DLogits;                       // (B,T,V)

    public GptActivations(GptConfig config, int b, int t)
    {
        B = b; T = t;
        int c = config.Width, l = config.Layers, bt = b * t, v = config.Vocab;
        float[][] PerLayer(int n) => Enumerable.Range(0, l).Select(_ => new float[n]).ToArray();
        Encoded = new float[bt * c];
        Ln1 = PerLayer(bt * c); Ln1Mean = PerLayer(bt); Ln1Rstd = PerLayer(bt);
        Qkv = PerLayer(bt * 3 * c);
        Att = PerLayer(b * config.Heads * t * t);
        Atty = PerLayer(bt * c);
        Residual2 = PerLayer(bt * c);
        Ln2 = PerLayer(bt * c); Ln2Mean = PerLayer(bt); Ln2Rstd = PerLayer(bt);
        Fch = PerLayer(bt * 4 * c); FchGelu = PerLayer(bt * 4 * c);
        Residual3 = PerLayer(bt * c);
        Lnf = new float[bt * c]; LnfMean = new float[bt]; LnfRstd = new float[bt];
        Logits = new float[bt * v]; Probs = new float[bt * v]; Losses = new float[bt];
        Branch = new float[bt * c];
        DResidual = new float[bt * c]; DLn = new float[bt * c]; DAtty = new float[bt * c];
        DQkv = new float[bt * 3 * c];
        DFch = new float[bt * 4 * c]; DFchGelu = new float[bt * 4 * c];
        DLogits = new float[bt * v];
    }
}
