using MassTransit;
using MassTransit.RabbitMqTransport;

namespace Federated.Messaging;

/// <summary>
/// Builds the bus for either transport with the same delivery rules: durable queues, persistent messages and
/// publisher confirms on RabbitMQ; manual acknowledgement (MassTransit's default); a bounded in-consumer retry,
/// then MassTransit's <c>&lt;queue&gt;_error</c> queue. Queue names are used as given, so <c>queue:fed-coordinator</c>
/// and <c>queue:fed-worker-&lt;id&gt;</c> mean the same on both transports.
/// </summary>
public static class FederatedBus
{
    /// <summary>Builds (does not start) a bus; start it with <see cref="StartAsync"/> for an error that names the broker.</summary>
    public static IBusControl Create(BusSettings settings, Action<IEndpointRegistrar>? registerEndpoints = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        return settings.Transport switch
        {
            BrokerTransport.InMemory => Bus.Factory.CreateUsingInMemory(cfg =>
            {
                registerEndpoints?.Invoke(new Registrar(settings, cfg));
            }),
            BrokerTransport.RabbitMq => Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                var address = settings.RabbitMq!;
                cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
                {
                    h.Username(address.Username);
                    h.Password(address.Password);
                    // The broker confirms each send before Send/Publish completes: nothing is lost in a broker crash.
                    h.PublisherConfirmation = true;
                    h.Heartbeat(settings.Heartbeat);
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                    if (settings.ConnectionName is { } name)
                        h.ConnectionName(name);
                });
                cfg.Durable = true;
                cfg.AutoDelete = false;
                registerEndpoints?.Invoke(new Registrar(settings, cfg));
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Transport, "unknown transport"),
        };
    }

    /// <summary>
    /// Adds a receive endpoint to a running bus with the same rules as <see cref="IEndpointRegistrar.ReceiveEndpoint"/>
    /// (e.g. a worker that joins later). Await <see cref="HostReceiveEndpointHandle.Ready"/> before relying on it.
    /// </summary>
    public static HostReceiveEndpointHandle ConnectReceiveEndpoint(
        IBus bus, BusSettings settings, string queueName, Action<IReceiveEndpointConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(settings);
        ValidateQueueName(queueName);
        return bus.ConnectReceiveEndpoint(queueName, e =>
        {
            ApplyEndpointRules(settings, e);
            configure(e);
        });
    }

    /// <summary>
    /// Starts the bus; if nothing accepts connections at the broker's address (checked first, see
    /// <see cref="BrokerProbe"/>) or the broker cannot be reached within <paramref name="timeout"/>, stops it again
    /// and throws <see cref="BrokerConnectionException"/> naming the broker without its password.
    /// </summary>
    public static async Task StartAsync(IBusControl bus, BusSettings settings, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(settings);
        await BrokerProbe.CheckAsync(settings, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await bus.StartAsync(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            try { await bus.StopAsync(CancellationToken.None); } catch (Exception) { /* the start failure is the news */ }
            var why = e is OperationCanceledException ? $"no connection within {timeout.TotalSeconds:0.#} s" : e.Message;
            throw new BrokerConnectionException(
                $"Could not start the message bus on {settings.RedactedBroker}: {BrokerUris.Redact(why)}", e);
        }
    }

    internal static void ApplyEndpointRules(BusSettings settings, IReceiveEndpointConfigurator endpoint)
    {
        endpoint.PrefetchCount = settings.PrefetchCount;
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Durable, never auto-deleted: a worker that is down keeps its queue and the tasks sent to it.
            rabbit.Durable = true;
            rabbit.AutoDelete = false;
            rabbit.Exclusive = false;
        }
        // Bounded: after the last retry MassTransit moves the message to <queue>_error (its default fault handling).
        if (settings.RetryLimit > 0)
            endpoint.UseMessageRetry(r => r.Intervals(settings.RetryIntervals()));
    }

    private static void Validate(BusSettings settings)
    {
        if (settings.PrefetchCount < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.PrefetchCount, "PrefetchCount must be at least 1.");
        if (settings.RetryLimit < 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.RetryLimit, "RetryLimit must not be negative.");
        if (settings.RetryInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.RetryInterval, "RetryInterval must not be negative.");
    }

    internal static void ValidateQueueName(string queueName)
    {
        if (string.IsNullOrWhiteSpace(queueName))
            throw new ArgumentException("A queue name is required.", nameof(queueName));
        // The characters RabbitMQ and MassTransit's short addresses both accept, so "queue:<name>" works on either.
        foreach (var c in queueName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                throw new ArgumentException(
                    $"The queue name '{queueName}' contains '{c}'; use letters, digits, '-', '_', '.' or ':'.", nameof(queueName));
        }
    }

    private sealed class Registrar(BusSettings settings, IBusFactoryConfigurator bus) : IEndpointRegistrar
    {
        public BusSettings Settings => settings;

        public void ReceiveEndpoint(string queueName, Action<IReceiveEndpointConfigurator> configure)
        {
            ArgumentNullException.ThrowIfNull(configure);
            ValidateQueueName(queueName);
            bus.ReceiveEndpoint(queueName, e =>
            {
                ApplyEndpointRules(settings, e);
                configure(e);
            });
        }
    }
}
