namespace Federated.Domain;

/// <summary>A command that the current state does not allow. Nothing is recorded.</summary>
public class DomainException(string message) : Exception(message);
