namespace Federated.Messaging;

/// <summary>Which MassTransit transport a <see cref="BusSettings"/> selects.</summary>
public enum BrokerTransport
{
    /// <summary>MassTransit's in-memory transport: one process, nothing survives it (<c>loopback://</c> or <c>memory://</c>).</summary>
    InMemory,

    /// <summary>A RabbitMQ broker (<c>rabbitmq://user:pass@host:5672/vhost</c>, or <c>amqp://</c>).</summary>
    RabbitMq,
}
