using Federated.Testing;

namespace Federated.Containers.Tests;

/// <summary>A fed-worker container started with a wrong key, a wrong broker address or no blob URL exits non-zero with a
/// message naming what is wrong (and never prints the broker's password).</summary>
[Collection(ContainerCollection.Name)]
public sealed class WorkerContainerConfigurationTests(ContainerCluster cluster)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_worker_container_whose_keystore_password_is_wrong_exits_with_2_naming_the_keystore()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        var keys = DockerHost.SharedFolder("keys");
        await File.WriteAllTextAsync(Path.Combine(keys, "worker.json"), Federated.Chain.Keystore.Web3Keystore.Encrypt(
            ContainerDeployment.WorkerKey("w1"), "right", new Federated.Chain.Keystore.KeystoreOptions { Scrypt = Federated.Chain.Keystore.ScryptParameters.Light }));
        await File.WriteAllTextAsync(Path.Combine(keys, "password"), "wrong\n");
        var worker = d.Worker("w1", new Dictionary<string, string?> { ["FED_WORKER_KEY"] = null },
            ["--key-file", "/keys/worker.json", "--password-file", "/keys/password"], keys, oneShot: true);

        var (exit, output) = await RunToExitAsync(worker);

        Assert.Equal(2, exit);
        Assert.Contains("error: keystore /keys/worker.json:", output, StringComparison.Ordinal);
        Directory.Delete(keys, recursive: true);
    }

    [Fact]
    public async Task A_worker_container_whose_key_variable_is_not_a_key_exits_with_2_naming_the_variable()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        var worker = d.Worker("w1", new Dictionary<string, string?> { ["FED_WORKER_KEY"] = "0xnot-a-key" }, oneShot: true);

        var (exit, output) = await RunToExitAsync(worker);

        Assert.Equal(2, exit);
        Assert.Contains("FED_WORKER_KEY is not a 32-byte hex private key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_container_given_a_broker_address_where_nothing_listens_exits_with_2_naming_host_and_port()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        var port = FreePort.Next();
        var worker = d.Worker("w1", new Dictionary<string, string?> { ["FED_BROKER"] = $"rabbitmq://fed:hush-{port}@127.0.0.1:{port}/fed" }, oneShot: true);

        var (exit, output) = await RunToExitAsync(worker);

        Assert.Equal(2, exit);
        Assert.Contains($"nothing accepts connections at 127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"hush-{port}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_container_without_a_blob_url_exits_with_2_naming_the_option_and_the_variable()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        var worker = d.Worker("w1", new Dictionary<string, string?> { ["FED_BLOB_URL"] = null }, oneShot: true);

        var (exit, output) = await RunToExitAsync(worker);

        Assert.Equal(2, exit);
        Assert.Contains("no blob server given: pass --blob-url or set FED_BLOB_URL", output, StringComparison.Ordinal);
    }

    private static async Task<(long Exit, string Output)> RunToExitAsync(DotNet.Testcontainers.Containers.IContainer worker)
    {
        await worker.StartAsync();
        var exit = await worker.ExitCodeAsync(ExitTimeout);
        return (exit, await worker.LogsAsync());
    }
}
