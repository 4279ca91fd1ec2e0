namespace Federated.Coordinator.Trust;

/// <summary>A worker message the coordinator refuses to act on because it is not proven to come from that worker
/// (unsigned, badly signed, or stale, for a worker that registered an address). Nothing is recorded; the transport
/// moves the message to its error queue with this reason.</summary>
public sealed class UnauthorizedMessageException(string message) : Exception(message);
