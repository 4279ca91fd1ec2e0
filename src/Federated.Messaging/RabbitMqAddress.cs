namespace Federated.Messaging;

/// <summary>The parts of a <c>rabbitmq://user:pass@host:port/vhost</c> URI.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public const ushort DefaultPort = 5672;

    internal static RabbitMqAddress From(Uri uri, string original)
    {
        string Fail(string why) =>
            throw new BrokerUriException($"The broker URI '{BrokerUris.Redact(original)}' is not a usable RabbitMQ address: {why}.");

        if (string.IsNullOrEmpty(uri.Host))
            Fail("it names no host");
        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        if (port is < 1 or > ushort.MaxValue)
            Fail($"port {port} is out of range");

        var username = "guest";
        var password = "guest";
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':');
            username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            if (username.Length == 0)
                Fail("the user name is empty");
        }

        // "/" or nothing is the default vhost; "/fed" is vhost "fed"; "/%2F" is "/" spelled out.
        var path = uri.AbsolutePath.Trim('/');
        if (path.Contains('/'))
            Fail($"the path '/{path}' has more than one segment; it should be the vhost only");
        var vhost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            Fail("query strings and fragments are not supported");

        return new RabbitMqAddress(uri.Host, (ushort)port, vhost, username, password);
    }

    /// <summary>For logs: no password.</summary>
    public override string ToString() =>
        $"rabbitmq://{Uri.EscapeDataString(Username)}:***@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
