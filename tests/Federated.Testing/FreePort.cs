using System.Net;
using System.Net.Sockets;

namespace Federated.Testing;

/// <summary>TCP ports on 127.0.0.1 that nothing listens on right now (the OS picks them).</summary>
public static class FreePort
{
    /// <summary>One free port.</summary>
    public static int Next() => Next(1)[0];

    /// <summary>
    /// <paramref name="count"/> distinct free ports. They are held together while chosen, so they differ from each
    /// other; another process could still take one before the caller binds it (callers that start servers retry).
    /// </summary>
    public static int[] Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Stop();
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts connections; false if <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? giveUp = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await IsListeningAsync(port, cancellationToken))
                return true;
            if (giveUp?.Invoke() == true)
                return false;
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }
}
