namespace Federated.Messaging;

/// <summary>
/// Where the bus connects and how its receive endpoints behave. The same settings select either transport:
/// <c>loopback://</c> / <c>memory://</c> for the in-memory transport, <c>rabbitmq://user:pass@host:port/vhost</c>
/// for RabbitMQ. Build one with <see cref="Parse"/> or <see cref="FromEnvironment"/>.
/// </summary>
public sealed record BusSettings
{
    /// <summary>The environment variable <see cref="FromEnvironment"/> reads the broker URI from.</summary>
    public const string BrokerVariable = "FED_BROKER";

    /// <summary>The broker used when neither an option nor <see cref="BrokerVariable"/> names one.</summary>
    public const string DefaultBroker = "loopback://";

    private BusSettings(Uri broker, BrokerTransport transport, RabbitMqAddress? rabbitMq)
    {
        Broker = broker;
        Transport = transport;
        RabbitMq = rabbitMq;
    }

    /// <summary>The broker URI as given (it may carry a password: log <see cref="RedactedBroker"/> instead).</summary>
    public Uri Broker { get; }

    public BrokerTransport Transport { get; }

    /// <summary>Host, port, vhost and credentials when <see cref="Transport"/> is RabbitMQ; null otherwise.</summary>
    public RabbitMqAddress? RabbitMq { get; }

    /// <summary>The broker URI with its password replaced by <c>***</c>.</summary>
    public string RedactedBroker => BrokerUris.Redact(Broker.OriginalString);

    /// <summary>How many unacknowledged messages the broker hands each receive endpoint at once.</summary>
    public int PrefetchCount { get; init; } = 16;

    /// <summary>Redeliveries in the consumer after the first failure; then the message goes to <c>&lt;queue&gt;_error</c>.</summary>
    public int RetryLimit { get; init; } = 3;

    /// <summary>Wait before the first retry; each further retry waits one interval longer than the last.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RabbitMQ heartbeat: how soon a silently dead broker connection is noticed.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shown in the broker's connection list (e.g. "fed-worker-w1"); defaults to the process name.</summary>
    public string? ConnectionName { get; init; }

    /// <summary>Parses a broker URI; throws <see cref="BrokerUriException"/> naming the (redacted) URI when it is unusable.</summary>
    public static BusSettings Parse(string broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var text = broker.Trim();
        if (text.Length == 0)
            throw new BrokerUriException($"The broker URI is empty; use {DefaultBroker} or rabbitmq://user:pass@host:5672/vhost.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new BrokerUriException($"The broker URI '{BrokerUris.Redact(text)}' is not an absolute URI; expected {DefaultBroker} or rabbitmq://user:pass@host:5672/vhost.");

        switch (uri.Scheme.ToLowerInvariant())
        {
            case "loopback":
            case "memory":
                return new BusSettings(uri, BrokerTransport.InMemory, null);
            case "rabbitmq":
            case "amqp":
                return new BusSettings(uri, BrokerTransport.RabbitMq, RabbitMqAddress.From(uri, text));
            default:
                throw new BrokerUriException(
                    $"The broker URI '{BrokerUris.Redact(text)}' has the unsupported scheme '{uri.Scheme}'; use loopback://, memory:// or rabbitmq://.");
        }
    }

    /// <summary>
    /// The broker from <paramref name="option"/> when given (a command-line option wins), else from the
    /// <see cref="BrokerVariable"/> environment variable, else <see cref="DefaultBroker"/>.
    /// </summary>
    public static BusSettings FromEnvironment(string? option = null, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var fromOption = string.IsNullOrWhiteSpace(option) ? null : option;
        var fromVariable = getVariable(BrokerVariable);
        var broker = fromOption ?? (string.IsNullOrWhiteSpace(fromVariable) ? DefaultBroker : fromVariable);
        try
        {
            return Parse(broker);
        }
        catch (BrokerUriException e) when (fromOption is null && !string.IsNullOrWhiteSpace(fromVariable))
        {
            throw new BrokerUriException($"{BrokerVariable}: {e.Message}", e);
        }
    }

    /// <summary>The retry waits, one per retry: interval, 2 x interval, ... (bounded by <see cref="RetryLimit"/>).</summary>
    public TimeSpan[] RetryIntervals() =>
        Enumerable.Range(1, RetryLimit).Select(i => RetryInterval * i).ToArray();

    public override string ToString() =>
        $"{RedactedBroker} (prefetch {PrefetchCount}, {RetryLimit} retries)";
}
