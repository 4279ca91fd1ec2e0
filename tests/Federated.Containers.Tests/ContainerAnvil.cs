using System.Globalization;
using DotNet.Testcontainers.Containers;
using Federated.Chain.Rpc;
using Federated.Testing;

namespace Federated.Containers.Tests;

/// <summary>A private anvil chain (id 31337) in a container (image fed-anvil) on a free port of 127.0.0.1.</summary>
public sealed class ContainerAnvil : IAsyncDisposable
{
    /// <summary>anvil's first dev account: funded on the private chain only.</summary>
    public const string DeployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private ContainerAnvil(IContainer container, Uri rpc, EthereumRpcClient client)
    {
        Container = container;
        Rpc = rpc;
        Client = client;
    }

    public IContainer Container { get; }
    public Uri Rpc { get; }
    public EthereumRpcClient Client { get; }

    public static async Task<ContainerAnvil> StartAsync()
    {
        var port = FreePort.Next();
        var container = DockerHost.Container(DockerHost.Image("fed-anvil"), "anvil")
            .WithEnvironment("ANVIL_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithCommand("--silent")
            .Build();
        await container.StartAsync();
        var rpc = new Uri($"http://127.0.0.1:{port}/");
        var client = new EthereumRpcClient(rpc, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await client.ChainIdAsync();
                return new ContainerAnvil(container, rpc, client);
            }
            catch (RpcTransportException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (RpcTransportException e)
            {
                var logs = await container.LogsAsync();
                client.Dispose();
                await container.DisposeAsync();
                throw new InvalidOperationException($"anvil in {container.Name} did not answer on {rpc} within 60 s: {e.Message}\n{logs}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Container.DisposeAsync();
    }
}
