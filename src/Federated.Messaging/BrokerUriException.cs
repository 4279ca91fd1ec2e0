namespace Federated.Messaging;

/// <summary>
/// A broker URI that cannot be used. The message names the URI with its password replaced by <c>***</c>,
/// so it is safe to log.
/// </summary>
public sealed class BrokerUriException(string message, Exception? inner = null) : FormatException(message, inner);
