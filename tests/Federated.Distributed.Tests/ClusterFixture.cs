using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>
/// One private RabbitMQ node and one private PostgreSQL cluster (both on 127.0.0.1, started here, never skipped)
/// for the whole collection; each test gets its own vhost and database (<see cref="Deployment"/>), so leftovers of
/// one test never reach the next.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private RabbitMqServer? _broker;
    private LocalPostgresServer? _postgres;

    public RabbitMqServer Broker => _broker ?? throw new InvalidOperationException("the broker is not started");
    public LocalPostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL is not started");

    public async Task InitializeAsync()
    {
        var broker = RabbitMqServer.StartNewAsync("distributed");
        var postgres = LocalPostgresServer.StartNewAsync();
        try
        {
            await Task.WhenAll(broker, postgres);
        }
        finally
        {
            _broker = broker.IsCompletedSuccessfully ? broker.Result : null;
            _postgres = postgres.IsCompletedSuccessfully ? postgres.Result : null;
        }
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>The tests share one broker and one database server and restart them: they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "RabbitMQ and PostgreSQL";
}
