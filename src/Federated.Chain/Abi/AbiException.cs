namespace Federated.Chain.Abi;

/// <summary>A value that cannot be ABI-encoded, or ABI data that does not decode as the declared types.</summary>
public sealed class AbiException(string message) : FormatException(message);
