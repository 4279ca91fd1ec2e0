namespace Federated.Chain.TypedData;

/// <summary>One member of an EIP-712 struct type, e.g. ("round", "uint64").</summary>
public sealed record Eip712Field(string Name, string Type);
