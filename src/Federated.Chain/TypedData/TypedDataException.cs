namespace Federated.Chain.TypedData;

/// <summary>EIP-712 type definitions or values that cannot be hashed; the message names the type and field.</summary>
public sealed class TypedDataException(string message) : FormatException(message);
