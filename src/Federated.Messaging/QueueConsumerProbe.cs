using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Federated.Messaging;

/// <summary>What the broker says about a queue a process should be consuming.</summary>
/// <param name="Reachable">False when the broker could not be asked (down, or refusing us): nothing can be consumed then.</param>
/// <param name="Consumers">Consumers the broker has attached to the queue; 0 when it cannot be asked or the queue is missing.</param>
/// <param name="Detail">Why the count is what it is, for logs.</param>
public sealed record QueueConsumers(bool Reachable, long Consumers, string Detail);

/// <summary>
/// Asks the broker itself how many consumers a queue has (a passive queue declare on a connection of its own), the
/// ground truth a process's own bus cannot give. After a broker outage MassTransit's RabbitMQ receive endpoint
/// reconnects on its own schedule (retries with growing waits, and a failure its retry policy does not handle, such as
/// RabbitMQ.Client 7's "Cannot access a disposed object (SemaphoreSlim)" while re-consuming, ends it for good), but
/// publishing reconnects on the next send: the worker's bus publishes again while nothing consumes its queue (seen
/// with a clean broker stop of 20 s: zero consumers 40 s after the broker was back). Only for RabbitMQ; the in-memory
/// transport has no broker to ask.
/// </summary>
public sealed class QueueConsumerProbe(BusSettings settings, string queueName) : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Whether this transport has a broker to ask (false for the in-memory transport).</summary>
    public bool Applies => settings.RabbitMq is not null;

    public async Task<QueueConsumers> AskAsync(CancellationToken cancellationToken = default)
    {
        if (settings.RabbitMq is not { } address) return new QueueConsumers(true, 1, "in-memory transport");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AskTimeout);
            try
            {
                var channel = await ChannelAsync(address, timeout.Token);
                var declared = await channel.QueueDeclarePassiveAsync(queueName, timeout.Token);
                return new QueueConsumers(true, declared.ConsumerCount, $"{declared.ConsumerCount} consumer(s) on {queueName}");
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                await ForgetChannelAsync(); // a failed passive declare closes the channel
                return new QueueConsumers(true, 0, $"the queue {queueName} does not exist");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await ForgetConnectionAsync();
                var why = e is OperationCanceledException ? $"no answer within {AskTimeout.TotalSeconds:0} s" : e.Message;
                return new QueueConsumers(false, 0, $"cannot ask {settings.RedactedBroker}: {BrokerUris.Redact(why)}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(RabbitMqAddress address, CancellationToken cancellationToken)
    {
        if (_connection is not { IsOpen: true })
        {
            await ForgetConnectionAsync();
            var factory = new ConnectionFactory
            {
                HostName = address.Host, Port = address.Port, VirtualHost = address.VirtualHost,
                UserName = address.Username, Password = address.Password,
                // Asked again at the next check: a recovering connection would only hide that the broker is away.
                AutomaticRecoveryEnabled = false, TopologyRecoveryEnabled = false,
                RequestedConnectionTimeout = AskTimeout, ClientProvidedName = $"{settings.ConnectionName ?? "fed"}-probe",
            };
            _connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        if (_channel is not { IsOpen: true })
        {
            await ForgetChannelAsync();
            _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        }
        return _channel;
    }

    private async Task ForgetChannelAsync()
    {
        var channel = _channel;
        _channel = null;
        if (channel is null) return;
        try { await channel.DisposeAsync(); } catch (Exception) { /* already closed by the broker */ }
    }

    private async Task ForgetConnectionAsync()
    {
        await ForgetChannelAsync();
        var connection = _connection;
        _connection = null;
        if (connection is null) return;
        try { await connection.DisposeAsync(); } catch (Exception) { /* already gone */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try { await ForgetConnectionAsync(); }
        finally { _gate.Release(); }
        _gate.Dispose();
    }
}
