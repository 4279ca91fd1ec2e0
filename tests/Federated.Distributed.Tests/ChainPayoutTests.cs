using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Signing;
using Federated.Domain.Payouts;
using Federated.EventStore.Postgres;
using Federated.Rewards;
using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>
/// On-chain rewards in the distributed deployment: a private anvil, the distributor deployed with `fed chain deploy`,
/// `fed coordinator` with the chain options, two `fed worker` processes with their own keys. Each worker is paid at the
/// address it registered with, and each round exactly once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChainPayoutTests(ClusterFixture cluster)
{
    // anvil's first dev account: funded on the private chain only.
    private const string DeployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const int Rounds = 2;

    [Fact]
    public async Task A_distributed_run_pays_each_worker_at_its_registered_address_once_per_round()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await using var anvil = await StartAnvilAsync(d.Root);
        var chainEnvironment = new Dictionary<string, string?> { ["FED_CHAIN_KEY"] = DeployerKey };
        var deployed = await d.RunFedAsync("chain-deploy", ["chain", "deploy", "--chain-rpc", anvil.Rpc.ToString()], environment: chainEnvironment);
        Assert.True(deployed.Succeeded, $"fed chain deploy exited with {deployed.ExitCode}:\n{deployed.Output}");
        var distributorAddress = deployed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("0x", StringComparison.Ordinal));

        var coordinator = await d.StartCoordinatorAsync(extraArguments:
            ["--chain-rpc", anvil.Rpc.ToString(), "--chain-id", "31337", "--distributor", distributorAddress, "--confirmations", "1"], environment: chainEnvironment);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var worker in new[] { "w1", "w2" })
        {
            keys[worker] = Keccak(worker);
            await d.StartWorkerAsync(worker, new Dictionary<string, string?> { ["FED_WORKER_KEY"] = Hex.Encode(keys[worker]) });
        }

        var launched = await d.LaunchAndWaitAsync(TestSpecs.Small(rounds: Rounds));
        Assert.True(launched.Succeeded, $"fed launch --wait exited with {launched.ExitCode}:\n{launched.Output}\n{d.Logs()}");
        var runId = (string)JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!["runId"]!;
        await using var store = await PostgresEventStore.OpenAsync(d.Store);
        var payouts = await ConfirmedPayoutsAsync(store, runId, coordinator);
        Assert.Equal(Rounds, payouts.Select(p => p.Round).Distinct().Count());

        var distributor = new RewardDistributorContract(anvil.Client, EthereumAddress.Parse(distributorAddress));
        foreach (var (worker, key) in keys)
        {
            var address = EthSigner.AddressOf(key);
            var lines = payouts.SelectMany(p => p.State.Allocation!.Payouts).Where(l => l.WorkerId == worker).ToList();
            Assert.All(lines, l => Assert.Equal(address, EthereumAddress.Parse(l.Recipient)));
            var owed = lines.Aggregate(BigInteger.Zero, (sum, l) => sum + BigInteger.Parse(l.Amount, CultureInfo.InvariantCulture));
            Assert.True(owed > 0, $"worker {worker} was allocated nothing:\n{d.Logs()}");
            // Paying a round twice would double the balance; a seed-derived address would leave this one empty.
            Assert.Equal(owed, await distributor.BalanceOfAsync(address));
        }

        // fed verify re-derives each commitment from the PostgreSQL log and compares it with commitmentOf on this chain.
        var verified = await d.RunFedAsync("verify", ["verify", "-d", Path.Combine(d.Root, "coordinator"), "--store", d.Store,
            "--chain-rpc", anvil.Rpc.ToString(), "--distributor", distributorAddress], TimeSpan.FromMinutes(3));
        Assert.True(verified.Succeeded, $"fed verify exited with {verified.ExitCode}:\n{verified.Output}");
        Assert.Contains($"ok: {Rounds} payout commitment(s) re-derived from the log and equal to commitmentOf on RewardDistributor", verified.Output, StringComparison.Ordinal);

        // fed payouts reads the same PostgreSQL log: one confirmed payout per round of this run.
        var listed = await d.RunFedAsync("payouts", ["payouts", "--store", d.Store, "--run", runId, "--json"]);
        Assert.True(listed.Succeeded, $"fed payouts exited with {listed.ExitCode}:\n{listed.Output}");
        var listedPayouts = JsonNode.Parse(listed.Output[listed.Output.IndexOf('[', StringComparison.Ordinal)..])!.AsArray();
        Assert.Equal(Rounds, listedPayouts.Count);
        Assert.All(listedPayouts, l => Assert.Equal("confirmed", (string)l!["status"]!));
    }

    /// <summary>The run's payouts once every round's is confirmed (the coordinator pays after the run's last round is written).</summary>
    private static async Task<List<PayoutRecord>> ConfirmedPayoutsAsync(PostgresEventStore store, string runId, LocalProcess coordinator)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var payouts = (await PayoutCatalog.ListAsync(store)).Where(p => p.RunId == runId).OrderBy(p => p.Round).ToList();
            if (payouts.Count == Rounds && payouts.All(p => p.State.Status == PayoutStatus.Confirmed)) return payouts;
            if (DateTime.UtcNow > deadline || coordinator.HasExited)
                Assert.Fail($"expected {Rounds} confirmed payouts, found [{string.Join(", ", payouts.Select(p => $"round {p.Round}: {p.State.Status}"))}]\n{coordinator.Tail(60)}");
            await Task.Delay(250);
        }
    }

    private static byte[] Keccak(string worker) => Federated.Chain.Hashing.Keccak256.HashUtf8($"chain-payout-test/{worker}/{Guid.NewGuid()}");

    /// <summary>A private anvil (chain id 31337) on 127.0.0.1, its log under <paramref name="root"/>.</summary>
    internal static async Task<AnvilProcess> StartAnvilAsync(string root)
    {
        const string relative = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
        var anvil = Environment.GetEnvironmentVariable("FED_ANVIL") is { Length: > 0 } configured ? configured
            : Ancestors(AppContext.BaseDirectory).Select(dir => Path.Combine(dir, relative)).FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException($"anvil is not installed ({relative}): run `bash scripts/provision/chain.sh`");
        var port = FreePort.Next();
        var process = LocalProcess.Start(anvil, ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", "31337", "--silent"],
            Path.Combine(root, "anvil.log"));
        var rpc = new Uri($"http://127.0.0.1:{port}/");
        var client = new EthereumRpcClient(rpc, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await client.ChainIdAsync();
                return new AnvilProcess(process, rpc, client);
            }
            catch (RpcTransportException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent) yield return dir.FullName;
    }

    internal sealed record AnvilProcess(LocalProcess Process, Uri Rpc, EthereumRpcClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Process.DisposeAsync();
        }
    }
}
