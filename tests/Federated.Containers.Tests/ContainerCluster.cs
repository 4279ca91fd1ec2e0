namespace Federated.Containers.Tests;

/// <summary>
/// One RabbitMQ container and one PostgreSQL container for the whole collection (started through Testcontainers, never
/// skipped: without Docker or the images the tests fail, naming what to run). Each test gets its own vhost and database
/// (<see cref="ContainerDeployment"/>).
/// </summary>
public sealed class ContainerCluster : IAsyncLifetime
{
    private ContainerRabbitMq? _broker;
    private ContainerPostgres? _postgres;

    public ContainerRabbitMq Broker => _broker ?? throw new InvalidOperationException("the broker container is not started");
    public ContainerPostgres Postgres => _postgres ?? throw new InvalidOperationException("the PostgreSQL container is not started");

    public async Task InitializeAsync()
    {
        _broker = new ContainerRabbitMq();
        _postgres = new ContainerPostgres();
        try
        {
            await Task.WhenAll(_broker.StartAsync(), _postgres.StartAsync());
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: remove both containers here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>The tests share the broker and database containers and restart them: they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<ContainerCluster>
{
    public const string Name = "RabbitMQ and PostgreSQL containers";
}
