using System.Net.Sockets;

namespace Federated.Messaging;

/// <summary>
/// A TCP connect to the broker's address before the bus starts, so a wrong host or port fails at once with the
/// reason (connection refused, unknown host) instead of after the whole start timeout. A probe that merely times out
/// says nothing (the broker may be slow or starting): the bus start then decides.
/// </summary>
internal static class BrokerProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="BrokerConnectionException">Nothing accepts connections at the address, or the host does not resolve.</exception>
    public static async Task CheckAsync(BusSettings settings, CancellationToken cancellationToken)
    {
        if (settings.RabbitMq is not { } address) return;
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address.Host, address.Port, probe.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData
                                            or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            var reason = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (is RabbitMQ running, and on this port?)",
                SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve",
                _ => "the host cannot be reached",
            };
            throw new BrokerConnectionException(
                $"Could not start the message bus on {settings.RedactedBroker}: nothing accepts connections at {address.Host}:{address.Port}: {reason}", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Slow, not refused: let the bus try for its full timeout.
        }
    }
}
