namespace Federated.Messaging;

/// <summary>The bus could not reach its broker; the message names the URI without its password.</summary>
public sealed class BrokerConnectionException(string message, Exception? inner = null) : Exception(message, inner);
