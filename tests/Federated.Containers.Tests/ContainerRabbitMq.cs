using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DotNet.Testcontainers.Containers;
using Federated.Testing;

namespace Federated.Containers.Tests;

/// <summary>
/// A RabbitMQ node in a container (image fed-rabbitmq, Debian's rabbitmq-server) behind the same seam as the local
/// <see cref="RabbitMqServer"/>: its own free ports on 127.0.0.1 (AMQP, distribution, epmd, CLI), a user and vhost with a
/// random password. Stop / start / kill act on the container and keep its data (the container's file system).
/// </summary>
public sealed class ContainerRabbitMq : IBrokerFixture, IAsyncLifetime
{
    public const string User = "fed";
    public const string VirtualHost = "fed";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly IContainer _container;
    private bool _created;

    public ContainerRabbitMq()
    {
        var ports = FreePort.Next(4);
        AmqpPort = ports[0];
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _container = DockerHost.Container(DockerHost.Image("fed-rabbitmq"), "rabbitmq")
            .WithEnvironment(new Dictionary<string, string>
            {
                ["FED_RABBITMQ_PASSWORD"] = Password,
                ["RABBITMQ_NODE_PORT"] = Invariant(ports[0]),
                ["RABBITMQ_DIST_PORT"] = Invariant(ports[1]),
                ["ERL_EPMD_PORT"] = Invariant(ports[2]),
                ["RABBITMQ_CTL_DIST_PORT_MIN"] = Invariant(ports[3]),
                ["RABBITMQ_CTL_DIST_PORT_MAX"] = Invariant(ports[3]),
            })
            .Build();
    }

    public int AmqpPort { get; }
    public string Password { get; }
    public IContainer Container => _container;
    public Uri BrokerUri => new($"rabbitmq://{User}:{Password}@127.0.0.1:{AmqpPort}/{VirtualHost}");
    public bool IsRunning { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) return;
        if (!_created)
        {
            await _container.StartAsync(cancellationToken);
            _created = true;
        }
        else
        {
            (await DockerHost.Cli(["start", _container.Id])).EnsureSuccess();
        }
        await WaitReadyAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning) return;
        (await DockerHost.Cli(["stop", "-t", "60", _container.Id], TimeSpan.FromSeconds(120))).EnsureSuccess();
        IsRunning = false;
    }

    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning) return;
        await _container.KillAsync();
        IsRunning = false;
    }

    /// <summary>`docker restart` of the broker's container, then waits until it accepts clients again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _container.RestartAsync(stopSeconds: 60);
        await WaitReadyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        await ListQueuesAsync(VirtualHost, cancellationToken);

    public async Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(string vhost, CancellationToken cancellationToken = default)
    {
        var output = await CtlAsync(["-q", "list_queues", "-p", vhost, "name", "messages", "consumers", "--formatter", "json"], cancellationToken);
        using var json = JsonDocument.Parse(output.Length == 0 ? "[]" : output);
        return json.RootElement.EnumerateArray()
            .Select(q => new BrokerQueue(q.GetProperty("name").GetString()!, q.GetProperty("messages").GetInt64(), q.GetProperty("consumers").GetInt64()))
            .ToList();
    }

    /// <summary>A new vhost for the fixture's user; returns its broker URI.</summary>
    public async Task<string> AddVirtualHostAsync(string vhost)
    {
        await CtlAsync(["add_vhost", vhost]);
        await CtlAsync(["set_permissions", "-p", vhost, User, ".*", ".*", ".*"]);
        return $"rabbitmq://{User}:{Password}@127.0.0.1:{AmqpPort}/{vhost}";
    }

    /// <summary>`docker exec ... rabbitmqctl arguments` (the container's environment names the node and its ports).</summary>
    public async Task<string> CtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await _container.ExecAsync(["rabbitmqctl", .. arguments], cancellationToken);
            if (result.ExitCode == 0) return result.Stdout.Trim();
            // The CLI's own distribution port can still be held by the previous call: that is not the node's answer.
            if (attempt < 5 && (result.Stdout + result.Stderr).Contains("nodistribution", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                continue;
            }
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} in {_container.Name} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        IsRunning = false;
        await _container.DisposeAsync();
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override string ToString() => $"{_container.Name} (fed-rabbitmq) on 127.0.0.1:{AmqpPort}";

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        if (!await FreePort.WaitUntilListeningAsync(AmqpPort, StartTimeout, cancellationToken: cancellationToken))
            throw new InvalidOperationException($"RabbitMQ in {_container.Name} did not listen on 127.0.0.1:{AmqpPort} within {StartTimeout.TotalSeconds:0} s:\n{DockerHost.Tail(await _container.LogsAsync())}");
        await CtlAsync(["await_startup", "--timeout", "60"], cancellationToken);
        IsRunning = true;
    }

    private static string Invariant(int port) => port.ToString(CultureInfo.InvariantCulture);
}
