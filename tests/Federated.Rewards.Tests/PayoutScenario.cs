using System.Numerics;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Rpc.Tests;
using Federated.Domain.Payouts;
using Federated.Domain.Rewards;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Sqlite;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Rewards.Tests;

/// <summary>A freshly deployed distributor, an event log (SQLite, in a temporary folder) holding one run with aggregated
/// rounds, and a processor paying through a coordinator account of its own (named after the test, so tests sharing
/// an anvil never share a nonce lane).</summary>
internal sealed class PayoutScenario : IAsyncDisposable
{
    public static readonly BigInteger Budget = BigInteger.Pow(10, 27);
    public const string RunId = "run-under-test";

    private readonly string _folder;

    private PayoutScenario(AnvilFixture anvil, string folder, SqliteEventStore store, RewardDistributorContract distributor,
        TestAccount admin, TestAccount coordinator)
    {
        Anvil = anvil;
        _folder = folder;
        Store = store;
        Distributor = distributor;
        Admin = admin;
        CoordinatorAccount = coordinator;
    }

    public AnvilFixture Anvil { get; }
    public SqliteEventStore Store { get; }
    public RewardDistributorContract Distributor { get; }
    public TestAccount Admin { get; }
    public TestAccount CoordinatorAccount { get; }
    public SeedDerivedWorkerKeys Workers { get; } = new(7);

    /// <summary>Deploys with automine on (even on a --no-mining anvil, mining the deployment by hand).</summary>
    public static async Task<PayoutScenario> CreateAsync(AnvilFixture anvil, string name, int coordinatorEther = 100)
    {
        var admin = await anvil.AccountAsync($"admin:{name}", 1000);
        var coordinator = await anvil.AccountAsync($"coordinator:{name}", coordinatorEther);
        var deploy = new ContractDeployer(anvil.Sender(admin));
        var distributorTask = RewardDistributorContract.DeployAsync(deploy, ContractArtifact.Load(RepositoryPaths.Artifact("RewardDistributor")),
            new RewardDistributorSettings("Federated Reward", "FEDR", Budget, admin.Address, coordinator.Address));
        var distributor = await MinedAsync(anvil, distributorTask);
        var folder = Path.Combine(Path.GetTempPath(), "fed-payouts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new PayoutScenario(anvil, folder, new SqliteEventStore(Path.Combine(folder, "events.db")), distributor, admin, coordinator);
    }

    /// <summary>Waits for a task that needs blocks, mining while it waits (a no-op cost on an automining anvil).</summary>
    public static async Task<T> MinedAsync<T>(AnvilFixture anvil, Task<T> task)
    {
        while (!task.IsCompleted)
        {
            await anvil.Client.MineAsync();
            await Task.WhenAny(task, Task.Delay(50));
        }
        return await task;
    }

    public TransactionSender CoordinatorSender(BigInteger? chainId = null) =>
        new(Anvil.Client, CoordinatorAccount.PrivateKey, chainId ?? AnvilFixture.ChainId,
            new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });

    public PayoutProcessor Processor(PayoutSettings? settings = null, Func<PayoutCheckpoint, PayoutAttempt?, Task>? crashAt = null, TransactionSender? sender = null) =>
        new(Store, new PayoutChain(Anvil.Client, Distributor, sender ?? CoordinatorSender()), TimeProvider.System, new PayoutProcessorOptions
        {
            Settings = settings ?? new PayoutSettings(),
            PollInterval = TimeSpan.FromMilliseconds(20),
            SettleTimeout = TimeSpan.FromSeconds(30),
            AtCheckpoint = crashAt,
        });

    /// <summary>Writes a launched run and <paramref name="rounds"/> aggregated rounds (three workers with 16384, 32768 and
    /// 8192 tokens) to the log; returns the rounds as the payer reads them back.</summary>
    public async Task<IReadOnlyList<AggregatedRound>> RecordRunAsync(int rounds = 1, string pool = "1000")
    {
        var spec = new RunSpec { Rounds = rounds, Rewards = new RewardSpec(pool) };
        var at = DateTimeOffset.UnixEpoch;
        var events = new List<object> { new RunLaunched(RunId, spec, "model", 1, "init", "train", 1, "val", 1, 1f, at) };
        for (var r = 1; r <= rounds; r++)
        {
            events.Add(new RoundAggregated(RunId, r, $"base{r}", $"model{r}", "fedavg", 1f,
                [new AggregatedUpdate(0, "worker-1", $"u{r}a", 16384), new AggregatedUpdate(1, "worker-2", $"u{r}b", 32768), new AggregatedUpdate(2, "worker-3", $"u{r}c", 8192)],
                new RoundMetrics(1, 1, 57344, 3, 0, 1), at));
        }
        var stream = RunEvents.StreamOf(RunId);
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [.. events.Select((e, i) => PayoutEventCodec.Encode(e, stream, i))]);
        return await RunRounds.ReadAsync(Store, RunId);
    }

    public AllocatePayout Allocation(AggregatedRound round) =>
        PayoutAllocator.Allocate(round, Workers, TokensProcessedScore.Instance, AnvilFixture.ChainId, Distributor.Address);

    public async Task<IReadOnlyList<string>> EventTypesAsync(int round)
    {
        var types = new List<string>();
        await foreach (var e in Store.ReadStreamAsync(PayoutEvents.StreamOf(RunId, round), ReadDirection.Forward, 0, int.MaxValue)) types.Add(e.EventType);
        return types;
    }

    public async Task<PayoutState> StateAsync(int round) => (await PayoutSession.LoadAsync(Store, RunId, round, TimeProvider.System)).State;

    /// <summary>Token balances of worker-1..3, e.g. "286,571,143".</summary>
    public async Task<string> WorkerBalancesAsync() =>
        string.Join(",", await Task.WhenAll(new[] { "worker-1", "worker-2", "worker-3" }.Select(w => Distributor.BalanceOfAsync(Workers.AddressOf(w)))));

    /// <summary>RoundPaid logs of this distributor, all blocks.</summary>
    public async Task<int> RoundPaidCountAsync() =>
        (await Anvil.Client.GetLogsAsync(new LogFilter { Addresses = [Distributor.Address], Topics = [RewardDistributorContract.RoundPaidEvent.Topic] })).Count;

    public Task<ulong> CoordinatorMinedNonceAsync() => Anvil.Client.GetTransactionCountAsync(CoordinatorAccount.Address, BlockTag.Latest);

    public static string HexOf(EthereumAddress address) => Hex.Encode(address.Bytes);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Thrown by a checkpoint hook: the process "dies" there.</summary>
internal sealed class SimulatedCrash(PayoutCheckpoint at) : Exception($"simulated crash at {at}");
