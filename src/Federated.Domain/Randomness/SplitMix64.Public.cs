namespace Federated.Randomness;

/// <summary>The domain exports the shared generator (src/Shared/Randomness/SplitMix64.cs); the engine keeps its copy internal.</summary>
public partial struct SplitMix64;
