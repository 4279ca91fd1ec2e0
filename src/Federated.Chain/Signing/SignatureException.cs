namespace Federated.Chain.Signing;

/// <summary>A signature, key or recovery id that cannot be used; the message says which part is wrong.</summary>
public sealed class SignatureException(string message) : Exception(message);
