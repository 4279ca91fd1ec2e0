namespace Federated.Coordinator.Trust;

/// <summary>A message the coordinator will not act on or record: a field missing or too large. Thrown before
/// anything is recorded, so the transport moves the message to its error queue with this reason.</summary>
public sealed class MalformedMessageException(string message) : Exception(message);
