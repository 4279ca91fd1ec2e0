using Federated.Messaging;

namespace Federated.Messaging.Tests;

public sealed class BusSettingsTests
{
    [Theory]
    [InlineData("loopback://")]
    [InlineData("memory://")]
    [InlineData("loopback://localhost/")]
    public void In_memory_schemes_select_the_in_memory_transport(string uri) =>
        Assert.Equal(BrokerTransport.InMemory, BusSettings.Parse(uri).Transport);

    [Fact]
    public void RabbitMq_uri_yields_host_port_vhost_and_credentials() =>
        Assert.Equal(
            new RabbitMqAddress("127.0.0.1", 5673, "fed", "alice", "p@ss/word"),
            BusSettings.Parse("rabbitmq://alice:p%40ss%2Fword@127.0.0.1:5673/fed").RabbitMq);

    [Theory]
    [InlineData("rabbitmq://host", "/")]
    [InlineData("rabbitmq://host/", "/")]
    [InlineData("rabbitmq://host/%2F", "/")]
    [InlineData("amqp://host/runs", "runs")]
    public void Vhost_defaults_to_root(string uri, string vhost) =>
        Assert.Equal(vhost, BusSettings.Parse(uri).RabbitMq!.VirtualHost);

    [Fact]
    public void RabbitMq_uri_without_port_uses_5672() =>
        Assert.Equal(5672, BusSettings.Parse("rabbitmq://u:p@broker/fed").RabbitMq!.Port);

    [Theory]
    [InlineData("kafka://fed:s3cret@host:9092/")]
    [InlineData("rabbitmq://fed:s3cret@host:5672/a/b")]
    [InlineData("rabbitmq://fed:s3cret@host:5672/fed?x=1")]
    [InlineData("rabbitmq://fed:s3cret@:5672/fed")]
    [InlineData("not a uri fed:s3cret@host")]
    [InlineData("rabbitmq://fed:s3cr@t@host:5672/fed/x")]
    public void Bad_uri_error_names_the_uri_without_its_password(string uri)
    {
        var error = Assert.Throws<BrokerUriException>(() => BusSettings.Parse(uri));
        Assert.DoesNotContain("s3cr", error.Message);
        Assert.Contains(":***@", error.Message);
    }

    [Fact]
    public void Bad_scheme_error_names_the_redacted_uri_and_the_scheme()
    {
        var error = Assert.Throws<BrokerUriException>(() => BusSettings.Parse("kafka://fed:s3cret@host:9092/"));
        Assert.Equal("The broker URI 'kafka://fed:***@host:9092/' has the unsupported scheme 'kafka'; use loopback://, memory:// or rabbitmq://.", error.Message);
    }

    [Fact]
    public void Redacted_broker_hides_the_password() =>
        Assert.Equal("rabbitmq://fed:***@127.0.0.1:5672/fed", BusSettings.Parse("rabbitmq://fed:hunter2@127.0.0.1:5672/fed").RedactedBroker);

    [Fact]
    public void Environment_variable_names_the_broker_when_no_option_is_given()
    {
        var settings = BusSettings.FromEnvironment(null, name => name == "FED_BROKER" ? "rabbitmq://u:p@h/v" : null);
        Assert.Equal(BrokerTransport.RabbitMq, settings.Transport);
    }

    [Fact]
    public void Option_wins_over_the_environment_variable()
    {
        var settings = BusSettings.FromEnvironment("memory://", _ => "rabbitmq://u:p@h/v");
        Assert.Equal(BrokerTransport.InMemory, settings.Transport);
    }

    [Fact]
    public void Without_option_or_variable_the_bus_is_in_memory() =>
        Assert.Equal(BrokerTransport.InMemory, BusSettings.FromEnvironment(null, _ => null).Transport);

    [Fact]
    public void Bad_environment_variable_is_named_in_the_error()
    {
        var error = Assert.Throws<BrokerUriException>(() => BusSettings.FromEnvironment(null, _ => "rabbitmq://u:secret@/v"));
        Assert.StartsWith("FED_BROKER: ", error.Message);
    }

    [Fact]
    public void Retry_intervals_are_bounded_by_the_retry_limit() =>
        Assert.Equal(
            [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)],
            (BusSettings.Parse("loopback://") with { RetryLimit = 3, RetryInterval = TimeSpan.FromMilliseconds(100) }).RetryIntervals());

    [Fact]
    public void Queue_names_rabbitmq_cannot_address_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FederatedBus.Create(BusSettings.Parse("loopback://"), e => e.ReceiveEndpoint("fed worker/1", _ => { })));
        Assert.Contains("'fed worker/1'", error.Message);
    }

    [Fact]
    public async Task Unreachable_broker_fails_to_start_with_the_redacted_uri()
    {
        var port = Federated.Testing.FreePort.Next();
        var settings = BusSettings.Parse($"rabbitmq://fed:hunter2@127.0.0.1:{port}/fed");
        var bus = FederatedBus.Create(settings, e => e.ReceiveEndpoint("fed-unreachable", _ => { }));

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() =>
            FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(3)));

        Assert.Contains($"rabbitmq://fed:***@127.0.0.1:{port}/fed", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_refused_by_the_probe_naming_the_address_before_the_start_timeout()
    {
        var port = Federated.Testing.FreePort.Next();
        var settings = BusSettings.Parse($"rabbitmq://fed:hunter2@127.0.0.1:{port}/fed");
        var bus = FederatedBus.Create(settings, e => e.ReceiveEndpoint("fed-refused", _ => { }));

        // A start timeout far beyond the test's: only the probe can end this in time.
        var start = FederatedBus.StartAsync(bus, settings, TimeSpan.FromMinutes(10));
        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => start.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains($"nothing accepts connections at 127.0.0.1:{port}: connection refused", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
