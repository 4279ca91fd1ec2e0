using System.Globalization;
using System.Numerics;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Keystore;
using Federated.Chain.Rpc;
using Federated.Chain.Signing;
using Federated.Distributed.Tests;
using Federated.Domain.Payouts;
using Federated.EventStore.Postgres;
using Federated.Rewards;
using Xunit.Abstractions;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Containers.Tests;

/// <summary>
/// The product as users run it: fed-worker containers (`docker run` of the image, keys given read-only) join a
/// fed-coordinator container over the RabbitMQ container, the run's log lives in the PostgreSQL container, and rounds
/// are paid on a private anvil chain in a container.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class WorkerContainerRunTests(ContainerCluster cluster, ITestOutputHelper output)
{
    private const int Rounds = 2;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Two_worker_containers_join_a_coordinator_container_complete_a_signed_run_and_each_is_paid_on_chain()
    {
        await using var d = await ContainerDeployment.CreateAsync(cluster);
        await using var anvil = await ContainerAnvil.StartAsync();
        var chainKey = new Dictionary<string, string> { ["FED_CHAIN_KEY"] = ContainerAnvil.DeployerKey };
        var deployed = await d.RunFedAsync("chain-deploy", ["chain", "deploy", "--chain-rpc", anvil.Rpc.ToString()], chainKey);
        Assert.True(deployed.Succeeded, $"fed chain deploy exited with {deployed.ExitCode}:\n{deployed.Output}");
        var distributorAddress = deployed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Last(l => l.StartsWith("0x", StringComparison.Ordinal) && l.Length == 42);
        await d.StartCoordinatorAsync(
            ["--chain-rpc", anvil.Rpc.ToString(), "--chain-id", "31337", "--distributor", distributorAddress, "--confirmations", "1"], chainKey);

        // The run is launched first, so each worker's WorkerJoined measures `docker run` to membership.
        var runId = await d.LaunchAsync(TestSpecs.Small(rounds: Rounds));
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["w1"] = Federated.Chain.Hashing.Keccak256.HashUtf8($"container-run/w1/{Guid.NewGuid()}"),
            ["w2"] = Federated.Chain.Hashing.Keccak256.HashUtf8($"container-run/w2/{Guid.NewGuid()}"),
        };
        // w1 reads a keystore and its password from a read-only mount; w2 takes its key from FED_WORKER_KEY.
        var keyFolder = DockerHost.SharedFolder("keys");
        await File.WriteAllTextAsync(Path.Combine(keyFolder, "worker.json"),
            Web3Keystore.Encrypt(keys["w1"], "container-secret", new KeystoreOptions { Scrypt = ScryptParameters.Light }));
        await File.WriteAllTextAsync(Path.Combine(keyFolder, "password"), "container-secret\n");
        var started = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        try
        {
            var w1 = d.Worker("w1", new Dictionary<string, string?> { ["FED_WORKER_KEY"] = null },
                ["--key-file", "/keys/worker.json", "--password-file", "/keys/password"], keys: keyFolder);
            var w2 = d.Worker("w2", new Dictionary<string, string?> { ["FED_WORKER_KEY"] = Hex.Encode(keys["w2"]) });
            started["w1"] = DateTimeOffset.UtcNow;
            await w1.StartAsync();
            started["w2"] = DateTimeOffset.UtcNow;
            await w2.StartAsync();

            var log = await d.Log.WaitForCompletionAsync(runId, RunTimeout, d.Logs);
            RunLogAssert.CompletedWithEachUpdateOnce(log, Rounds, TestSpecs.ShardsPerRound);
            foreach (var (worker, at) in started)
            {
                var joined = log.Of<WorkerJoined>().First(j => j.WorkerId == worker);
                var seconds = (joined.JoinedAt - at).TotalSeconds;
                output.WriteLine($"{worker}: WorkerJoined {seconds:0.0} s after docker run");
                Assert.True(seconds <= 30, $"{worker} joined {seconds:0.0} s after docker run (target: 30 s)\n{d.Logs()}");
            }

            await using var store = await PostgresEventStore.OpenAsync(d.Store);
            var payouts = await ConfirmedPayoutsAsync(store, runId, d);
            Assert.Equal(Rounds, payouts.Select(p => p.Round).Distinct().Count());
            var distributor = new RewardDistributorContract(anvil.Client, EthereumAddress.Parse(distributorAddress));
            foreach (var (worker, key) in keys)
            {
                var address = EthSigner.AddressOf(key);
                var lines = payouts.SelectMany(p => p.State.Allocation!.Payouts).Where(l => l.WorkerId == worker).ToList();
                Assert.All(lines, l => Assert.Equal(address, EthereumAddress.Parse(l.Recipient)));
                var owed = lines.Aggregate(BigInteger.Zero, (sum, l) => sum + BigInteger.Parse(l.Amount, CultureInfo.InvariantCulture));
                Assert.True(owed > 0, $"worker {worker} was allocated nothing:\n{d.Logs()}");
                // Paying a round twice would double the balance; a key other than the mounted one would leave this address empty.
                Assert.Equal(owed, await distributor.BalanceOfAsync(address));
            }
        }
        finally
        {
            try { Directory.Delete(keyFolder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<List<PayoutRecord>> ConfirmedPayoutsAsync(PostgresEventStore store, string runId, ContainerDeployment d)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var payouts = (await PayoutCatalog.ListAsync(store)).Where(p => p.RunId == runId).OrderBy(p => p.Round).ToList();
            if (payouts.Count == Rounds && payouts.All(p => p.State.Status == PayoutStatus.Confirmed)) return payouts;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"expected {Rounds} confirmed payouts, found [{string.Join(", ", payouts.Select(p => $"round {p.Round}: {p.State.Status}"))}]\n{d.Logs()}");
            await Task.Delay(250);
        }
    }
}
