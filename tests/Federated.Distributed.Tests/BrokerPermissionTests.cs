using System.Text.Json.Nodes;
using Federated.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>
/// The broker users of scripts/provision/rabbitmq-users.sh, on a real RabbitMQ: the coordinator and the workers run a
/// whole run with them, and a worker's credential cannot read anyone else's traffic (the broker answers ACCESS_REFUSED).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerPermissionTests(ClusterFixture cluster)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    /// <summary>Runs the provisioning script for this deployment's vhost; returns the broker URI of each user.</summary>
    private async Task<Func<string, string>> ProvisionAsync(Deployment d, params string[] workerIds)
    {
        var secrets = Path.Combine(d.Root, "secrets");
        var environment = new Dictionary<string, string?>(cluster.Broker.CtlEnvironment) { ["RABBITMQCTL"] = cluster.Broker.CtlCommand };
        var result = await LocalProcess.RunAsync("bash", [Script, "--vhost", d.VirtualHost, "--secrets", secrets, .. workerIds], environment,
            TimeSpan.FromMinutes(3), Path.Combine(d.Root, "provision.log"));
        Assert.True(result.Succeeded, $"rabbitmq-users.sh exited with {result.ExitCode}:\n{result.Output}");
        return user => $"rabbitmq://{user}:{File.ReadAllText(Path.Combine(secrets, $"{user}.password")).Trim()}@127.0.0.1:{cluster.Broker.AmqpPort}/{d.VirtualHost}";
    }

    [Fact]
    public async Task Workers_with_their_restricted_users_complete_a_run()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        var brokerOf = await ProvisionAsync(d, "w1", "w2");
        await d.StartCoordinatorAsync(broker: brokerOf("fed-coordinator"));
        await d.StartWorkerAsync("w1", broker: brokerOf("fed-worker-w1"));
        await d.StartWorkerAsync("w2", broker: brokerOf("fed-worker-w2"));

        var launched = await d.LaunchAndWaitAsync(TestSpecs.Small());

        Assert.True(launched.Succeeded, $"fed launch --wait exited with {launched.ExitCode}:\n{launched.Output}\n{d.Logs()}");
        var summary = JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!;
        var log = await d.Log.ReadAsync((string)summary["runId"]!);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);
        Assert.Equal(["w1", "w2"], log.Of<UpdateAccepted>().Select(a => a.WorkerId).Distinct().Order().ToArray());
        Assert.DoesNotContain("ACCESS_REFUSED", d.Logs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_credential_cannot_read_the_coordinators_or_another_workers_traffic()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        var brokerOf = await ProvisionAsync(d, "w1", "w2");
        await d.StartCoordinatorAsync(broker: brokerOf("fed-coordinator"));
        await d.StartWorkerAsync("w1", broker: brokerOf("fed-worker-w1"));
        await d.StartWorkerAsync("w2", broker: brokerOf("fed-worker-w2"));
        await using var spy = await ConnectAsync(brokerOf("fed-worker-w1"));

        // Every way to see a message meant for someone else: bind a queue (its own, or a new one) to an exchange that
        // carries the coordinator's messages, forward such an exchange into its own, or consume someone else's queue.
        Assert.Multiple(
            await RefusedAsync(spy, c => c.QueueBindAsync("fed-worker-w1", "fed-coordinator", "")),
            await RefusedAsync(spy, c => c.QueueBindAsync("fed-worker-w1", "Federated.Contracts:ShardTrained", "")),
            await RefusedAsync(spy, c => c.QueueBindAsync("fed-worker-w1", "Federated.Contracts:WorkerAvailable", "")),
            await RefusedAsync(spy, c => c.ExchangeBindAsync("fed-worker-w1", "Federated.Contracts:ShardTrained", "")),
            await RefusedAsync(spy, c => c.QueueDeclareAsync("spy", durable: false, exclusive: true, autoDelete: true)),
            await RefusedAsync(spy, c => c.BasicGetAsync("fed-coordinator", autoAck: false)),
            await RefusedAsync(spy, c => c.BasicGetAsync("fed-worker-w2", autoAck: false)),
            await RefusedAsync(spy, c => c.BasicConsumeAsync("fed-coordinator", autoAck: false, new AsyncDefaultBasicConsumer(c))),
            await RefusedAsync(spy, c => c.QueueDeleteAsync("fed-coordinator")),
            await RefusedAsync(spy, c => c.QueuePurgeAsync("fed-worker-w2")));
    }

    [Fact]
    public async Task The_same_probe_succeeds_for_an_unrestricted_user()
    {
        // The control: what the worker is refused is what any vhost user could do before (one all-powerful user).
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await using var spy = await ConnectAsync(d.Broker);
        await using var channel = await spy.CreateChannelAsync();

        var copy = await channel.QueueDeclareAsync("spy", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(copy.QueueName, "fed-coordinator", "");

        Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(copy.QueueName)).MessageCount);
    }

    private static async Task<IConnection> ConnectAsync(string broker)
    {
        var uri = new Uri(broker);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var factory = new ConnectionFactory
        {
            HostName = uri.Host, Port = uri.Port, VirtualHost = uri.AbsolutePath.TrimStart('/'),
            UserName = credentials[0], Password = credentials[1],
        };
        return await factory.CreateConnectionAsync();
    }

    /// <summary>Tries <paramref name="action"/> on a fresh channel (the broker closes a channel on refusal) and returns
    /// the assertion that the broker refused it for want of permission.</summary>
    private static async Task<Action> RefusedAsync(IConnection connection, Func<IChannel, Task> action)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await action(channel);
            return () => Assert.Fail("the broker allowed it");
        }
        catch (OperationInterruptedException e)
        {
            return () => Assert.True(e.ShutdownReason?.ReplyCode == 403, $"expected ACCESS_REFUSED (403), got {e.ShutdownReason?.ReplyCode} {e.ShutdownReason?.ReplyText}");
        }
    }

    private static string Script
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Federated.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Federated.sln not found above the tests"),
                "scripts", "provision", "rabbitmq-users.sh");
        }
    }
}
