using System.Numerics;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Signing;
using Federated.Domain.Payouts;
using Federated.EventStore;
using Federated.EventStore.Sqlite;
using Federated.EventStore.Subscriptions;
using Federated.Rewards;

namespace Federated.Cli.Embedded;

/// <summary>One worker's reward as the chain shows it.</summary>
public sealed record WorkerReward(string WorkerId, string Address, string Balance);

/// <summary>One round's payout as the log records it.</summary>
public sealed record RoundPayout(int Round, string Status, string? TransactionHash, ulong? Block, string Commitment, string Total);

/// <summary>What the summary shows of the embedded chain: where the rewards went and what each worker holds.</summary>
public sealed record RewardsOutcome(long ChainId, string Distributor, string Token, IReadOnlyList<RoundPayout> Payouts, IReadOnlyList<WorkerReward> Workers, string? Error);

/// <summary>
/// The embedded default's chain: a private anvil (state kept in the data directory), the RewardDistributor deployed
/// once with dev keys, and a catch-up subscription on the log that pays every round when its RoundAggregated event
/// is written. Each worker's address comes from its run's seed (<see cref="SeedDerivedWorkerKeys"/>).
/// </summary>
internal sealed class EmbeddedChain : IAsyncDisposable
{
    public static readonly BigInteger Budget = BigInteger.Pow(10, 27); // one billion tokens of 18 decimals
    public const string TokenSymbol = "FEDR";

    private readonly AnvilNode _node;
    private readonly SqliteEventStore _store;
    private readonly SqliteCheckpointStore _checkpoints;
    private readonly RoundPayer _payer;
    private readonly TextWriter _log;
    private PayoutFollower? _following;

    private EmbeddedChain(AnvilNode node, SqliteEventStore store, SqliteCheckpointStore checkpoints, EmbeddedChainConfig config, PayoutChain chain, TextWriter log)
    {
        _log = log;
        _node = node;
        _store = store;
        _checkpoints = checkpoints;
        Config = config;
        Chain = chain;
        _payer = new RoundPayer(store, new PayoutProcessor(store, chain, TimeProvider.System), round => new SeedDerivedWorkerKeys(round.Spec.Seed));
    }

    public EmbeddedChainConfig Config { get; }
    public PayoutChain Chain { get; }

    /// <summary>Starts anvil from the data directory's chain state (deploying the distributor the first time), settles
    /// payouts a crash left unfinished, and starts paying rounds as they are aggregated.</summary>
    public static async Task<EmbeddedChain> StartAsync(DataDirectory data, ulong seed, TextWriter log, CancellationToken cancellationToken)
    {
        Identity.SecretFile.CreateDirectory(EmbeddedChainConfig.Folder(data));
        var config = EmbeddedChainConfig.Load(data);
        if (config is not null && !File.Exists(EmbeddedChainConfig.StateFile(data)))
            throw new InvalidOperationException($"{EmbeddedChainConfig.ConfigFile(data)} names distributor {config.Distributor}, but the chain state {EmbeddedChainConfig.StateFile(data)} is missing");
        var node = await AnvilNode.StartAsync(EmbeddedChainConfig.StateFile(data), saveOnStop: true, cancellationToken);
        try
        {
            config ??= await DeployAsync(node, data, seed, cancellationToken);
            var coordinator = new TransactionSender(node.Client, config.CoordinatorPrivateKey, config.ChainId);
            var distributor = new RewardDistributorContract(node.Client, EthereumAddress.Parse(config.Distributor));
            var store = new SqliteEventStore(data.EventsDb);
            var chain = new EmbeddedChain(node, store, new SqliteCheckpointStore(data.EventsDb), config, new PayoutChain(node.Client, distributor, coordinator), log);
            log.WriteLine($"chain: anvil on {node.Endpoint} (chain id {config.ChainId}), RewardDistributor {distributor.Address}, coordinator {coordinator.Address}");
            var resumed = await chain._payer.ResumeAsync(cancellationToken);
            if (resumed > 0) log.WriteLine($"chain: settled {resumed} payout(s) left unfinished");
            return chain;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private static async Task<EmbeddedChainConfig> DeployAsync(AnvilNode node, DataDirectory data, ulong seed, CancellationToken cancellationToken)
    {
        var config = new EmbeddedChainConfig(AnvilNode.ChainId, "", Hex.Encode(EmbeddedChainConfig.DevKey(seed, "admin")), Hex.Encode(EmbeddedChainConfig.DevKey(seed, "coordinator")), seed);
        var admin = EthSigner.AddressOf(config.AdminPrivateKey);
        var coordinator = EthSigner.AddressOf(config.CoordinatorPrivateKey);
        var ether = BigInteger.Pow(10, 18) * 1000;
        await node.Client.SetBalanceAsync(admin, ether, cancellationToken);
        await node.Client.SetBalanceAsync(coordinator, ether, cancellationToken);
        var artifact = AnvilNode.FindInCheckout("contracts/build/RewardDistributor.json")
            ?? throw new InvalidOperationException("contracts/build/RewardDistributor.json not found above the program or the working directory");
        var deployer = new ContractDeployer(new TransactionSender(node.Client, config.AdminPrivateKey, config.ChainId));
        var distributor = await RewardDistributorContract.DeployAsync(deployer, ContractArtifact.Load(artifact),
            new RewardDistributorSettings("Federated Reward", TokenSymbol, Budget, admin, coordinator), cancellationToken);
        config = config with { Distributor = Hex.Encode(distributor.Address.Bytes) };
        config.Save(data);
        return config;
    }

    /// <summary>Starts following the log: every RoundAggregated from the subscription's checkpoint on is paid, through
    /// store and chain outages (<see cref="PayoutFollower"/>).</summary>
    public void StartPaying() =>
        _following = PayoutFollower.Start(_store, _checkpoints, _payer.HandleAsync, Chain.Client.Endpoint, _log, Console.Error);

    /// <summary>Stops following and pays whatever the log holds that is not paid yet; then reports the run's rewards.</summary>
    public async Task<RewardsOutcome> FinishAsync(string? runId, IReadOnlyList<string> workerIds, ulong seed, CancellationToken cancellationToken)
    {
        string? error = null;
        if (_following is not null && await _following.StopAsync() is { } failure) error = PayoutFollower.Describe(failure);
        if (error is null)
        {
            try
            {
                await new CatchUpSubscription(RoundPayer.SubscriptionId, _store, _checkpoints, _payer.HandleAsync).RunToEndAsync(cancellationToken);
            }
            catch (SubscriptionFailedException e) { error = e.InnerException?.Message ?? e.Message; }
        }
        return await OutcomeAsync(runId, workerIds, seed, error, cancellationToken);
    }

    private async Task<RewardsOutcome> OutcomeAsync(string? runId, IReadOnlyList<string> workerIds, ulong seed, string? error, CancellationToken cancellationToken)
    {
        var payouts = (await PayoutCatalog.ListAsync(_store, cancellationToken))
            .Where(p => p.RunId == runId)
            .Select(p => new RoundPayout(p.Round, p.State.Status.ToString().ToLowerInvariant(), p.State.Confirmation?.TransactionHash ?? p.State.Live?.TransactionHash,
                p.State.Confirmation?.BlockNumber, p.State.Allocation!.Commitment,
                p.State.Allocation.Payouts.Aggregate(BigInteger.Zero, (sum, l) => sum + BigInteger.Parse(l.Amount, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(p => p.Round).ToList();
        var keys = new SeedDerivedWorkerKeys(seed);
        var workers = new List<WorkerReward>();
        foreach (var worker in workerIds)
        {
            var address = keys.AddressOf(worker);
            var balance = await Chain.Distributor.BalanceOfAsync(address, cancellationToken);
            workers.Add(new WorkerReward(worker, address.ToChecksumString(), balance.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new RewardsOutcome(Config.ChainId, Chain.Distributor.Address.ToChecksumString(), TokenSymbol, payouts, workers, error);
    }

    public async ValueTask DisposeAsync()
    {
        // A stop by a failure was reported when it happened (and by FinishAsync); disposing never throws it again.
        if (_following is not null) await _following.DisposeAsync();
        await _checkpoints.DisposeAsync();
        await _store.DisposeAsync();
        await _node.DisposeAsync();
    }
}
