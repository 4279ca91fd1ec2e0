using System.CommandLine;
using System.Numerics;
using Federated.Chain;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Signing;
using Federated.Cli.Embedded;
using Federated.Cli.Identity;
using Federated.Domain.Payouts;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.EventStore.Sqlite;
using Federated.EventStore.Subscriptions;
using Federated.Rewards;
using Npgsql;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Cli.Distributed;

/// <summary>The chain a distributed coordinator pays rounds on, as its options and environment give it.</summary>
internal sealed record CoordinatorChainSettings(Uri Rpc, long? ChainId, EthereumAddress Distributor, byte[] CoordinatorKey, int Confirmations)
{
    /// <summary>How long a round may stay unpaid after its aggregation before the coordinator warns (repeatedly).</summary>
    public TimeSpan PayoutOverdue { get; init; } = TimeSpan.FromSeconds(CoordinatorChainOptions.DefaultPayoutOverdueSeconds);
}

/// <summary>The chain options are incomplete or wrong, or the chain does not match them; the message says which.</summary>
internal sealed class CoordinatorChainException(string message) : Exception(message);

/// <summary>`fed coordinator`'s chain options: each falls back to an environment variable.</summary>
internal sealed class CoordinatorChainOptions
{
    public const string RpcVariable = "FED_CHAIN_RPC";
    public const string ChainIdVariable = "FED_CHAIN_ID";
    public const string DistributorVariable = "FED_DISTRIBUTOR";
    public const string KeyVariable = "FED_CHAIN_KEY";
    public const int DefaultPayoutOverdueSeconds = 300;

    public Option<string?> Rpc { get; } = new("--chain-rpc") { Description = $"JSON-RPC endpoint of the chain rounds are paid on, e.g. http://127.0.0.1:8545; default ${RpcVariable}. Without it, no payouts" };
    public Option<long?> ChainId { get; } = new("--chain-id") { Description = $"Expected chain id, checked against eth_chainId at start; default ${ChainIdVariable}" };
    public Option<string?> Distributor { get; } = new("--distributor") { Description = $"Address of the RewardDistributor (fed chain deploy prints it); default ${DistributorVariable}" };
    /// <summary>`--chain-key-file` (keystore, password from `--password-file` or FED_KEY_PASSWORD), else FED_CHAIN_KEY (hex).</summary>
    public KeyOptions Key { get; } = new("distributor's coordinator account", "--chain-key-file", KeyVariable);
    public Option<int> Confirmations { get; } = new("--confirmations") { Description = "Blocks that must include or follow a payout before it counts as confirmed", DefaultValueFactory = _ => 1 };

    public Option<int> PayoutOverdueSeconds { get; } = new("--payout-overdue-seconds")
    {
        Description = "Warn (repeatedly, naming run and rounds) when a round is still unpaid this many seconds after its aggregation",
        DefaultValueFactory = _ => DefaultPayoutOverdueSeconds,
    };

    public IEnumerable<Option> All => [Rpc, ChainId, Distributor, Key.KeyFile, Key.PasswordFile, Confirmations, PayoutOverdueSeconds];

    /// <summary>The settings, or null when no chain is configured (neither RPC nor distributor given).</summary>
    /// <exception cref="CoordinatorChainException">Some chain settings are given but not all, or one is malformed.</exception>
    public CoordinatorChainSettings? Read(ParseResult parse)
    {
        var rpcText = OptionValues.ValueOrVariable(parse.GetValue(Rpc), RpcVariable);
        var distributorText = OptionValues.ValueOrVariable(parse.GetValue(Distributor), DistributorVariable);
        if (rpcText is null && distributorText is null) return null;
        if (rpcText is null) throw new CoordinatorChainException($"--distributor is given but no chain: pass --chain-rpc or set {RpcVariable}");
        if (distributorText is null) throw new CoordinatorChainException($"--chain-rpc is given but no distributor: pass --distributor or set {DistributorVariable} (fed chain deploy prints it)");
        ExternalChain chain;
        try { chain = ExternalChain.From(rpcText, distributorText)!; }
        catch (ArgumentException e) { throw new CoordinatorChainException(e.Message); }
        long? chainId = parse.GetValue(ChainId);
        if (chainId is null && Environment.GetEnvironmentVariable(ChainIdVariable) is { Length: > 0 } idText)
            chainId = long.TryParse(idText, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new CoordinatorChainException($"{ChainIdVariable}='{idText}' is not a chain id");
        var confirmations = parse.GetValue(Confirmations);
        if (confirmations < 1) throw new CoordinatorChainException("--confirmations must be at least 1");
        var overdue = parse.GetValue(PayoutOverdueSeconds);
        if (overdue < 1) throw new CoordinatorChainException($"--payout-overdue-seconds must be at least 1, got {overdue}");
        return new CoordinatorChainSettings(chain.Rpc, chainId, chain.Distributor, RequiredKey(Key, parse, "coordinator"), confirmations)
        {
            PayoutOverdue = TimeSpan.FromSeconds(overdue),
        };
    }

    /// <summary>The key <paramref name="key"/>'s options give; <paramref name="role"/> names it in errors.</summary>
    /// <exception cref="CoordinatorChainException">No key is given, or it cannot be read.</exception>
    public static byte[] RequiredKey(KeyOptions key, ParseResult parse, string role)
    {
        try
        {
            return key.Load(parse) ?? throw new CoordinatorChainException(
                $"no {role} key: pass {key.KeyFile.Name} (a keystore, password from --password-file or ${WorkerKeys.PasswordVariable}) or set {KeyVariable} (hex)");
        }
        catch (WorkerKeyException e)
        {
            throw new CoordinatorChainException($"{role} key: {e.Message}");
        }
    }
}

/// <summary>
/// The distributed coordinator's payouts: the catch-up subscription the embedded default runs (every RoundAggregated
/// in the log is paid, at least once, idempotently), against a configured chain, paying each worker at the address its
/// signed registration proved (<see cref="RegisteredWorkerAddresses"/>). The subscription checkpoint lives in the
/// coordinator's event store, so a restarted coordinator carries on where it stopped.
/// </summary>
internal sealed class CoordinatorChain : IAsyncDisposable
{
    private readonly EthereumRpcClient _client;
    private readonly ICheckpointStore _checkpoints;
    private readonly NpgsqlDataSource? _dataSource;
    private PayoutFollower? _following;
    private PayoutWatch? _watch;

    private CoordinatorChain(EthereumRpcClient client, ICheckpointStore checkpoints, NpgsqlDataSource? dataSource)
    {
        _client = client;
        _checkpoints = checkpoints;
        _dataSource = dataSource;
    }

    /// <summary>Checks the chain against the settings, settles payouts a crash left unfinished, and starts paying.</summary>
    /// <exception cref="CoordinatorChainException">The chain cannot be reached or does not match the settings.</exception>
    public static async Task<CoordinatorChain> StartAsync(CoordinatorChainSettings settings, StoreLocation location, IEventStore store, TextWriter log, CancellationToken cancellationToken)
    {
        var client = new EthereumRpcClient(settings.Rpc, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
        try
        {
            var (chainId, coordinator, distributor) = await CheckAsync(client, settings, cancellationToken);
            NpgsqlDataSource? dataSource = location.IsPostgres ? NpgsqlDataSource.Create(location.Value) : null;
            ICheckpointStore checkpoints = dataSource is not null
                ? await PostgresCheckpointStore.OpenAsync(dataSource, cancellationToken: cancellationToken)
                : new SqliteCheckpointStore(location.Value);
            var chain = new CoordinatorChain(client, checkpoints, dataSource);
            var processor = new PayoutProcessor(store, new PayoutChain(client, distributor, coordinator), TimeProvider.System,
                new PayoutProcessorOptions { Settings = new PayoutSettings { Confirmations = settings.Confirmations } });
            var payer = new RoundPayer(store, processor, round => new RegisteredWorkerAddresses(round));
            log.WriteLine($"chain: {settings.Rpc} (chain id {chainId}), RewardDistributor {distributor.Address}, coordinator {coordinator.Address}, {settings.Confirmations} confirmation(s); paying workers at their registered addresses");
            try
            {
                var resumed = await payer.ResumeAsync(cancellationToken);
                if (resumed > 0) log.WriteLine($"chain: settled {resumed} payout(s) left unfinished");
            }
            catch (Exception e) when (PayoutOutages.Classify(e, settings.Rpc) is { } waitingFor)
            {
                // An unfinished payout's round is still after the subscription's checkpoint, so the subscription settles it
                // once what it waits for is back.
                Console.Error.WriteLine($"warning: unfinished payouts not settled at start, waiting for {waitingFor}: {e.Message}");
            }
            chain.Follow(store, payer, settings, log);
            return chain;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<(long ChainId, TransactionSender Coordinator, RewardDistributorContract Distributor)> CheckAsync(
        EthereumRpcClient client, CoordinatorChainSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var actual = (long)await client.ChainIdAsync(cancellationToken);
            if (settings.ChainId is { } expected && expected != actual)
                throw new CoordinatorChainException($"chain id mismatch: --chain-id is {expected}, but {settings.Rpc} reports chain id {actual}");
            if ((await client.GetCodeAsync(settings.Distributor, cancellationToken: cancellationToken)).Length == 0)
                throw new CoordinatorChainException($"no contract at distributor {settings.Distributor.ToChecksumString()} on chain {actual} ({settings.Rpc})");
            var coordinator = new TransactionSender(client, settings.CoordinatorKey, new BigInteger(actual));
            var distributor = new RewardDistributorContract(client, settings.Distributor);
            var registered = await distributor.CoordinatorAsync(cancellationToken);
            if (registered != coordinator.Address)
                throw new CoordinatorChainException($"the coordinator key is for {coordinator.Address.ToChecksumString()}, but RewardDistributor {settings.Distributor.ToChecksumString()} pays rounds only from {registered.ToChecksumString()}");
            return (actual, coordinator, distributor);
        }
        catch (Exception e) when (e is RpcException or RpcTransportException or HttpRequestException)
        {
            throw new CoordinatorChainException($"cannot read the chain at {settings.Rpc}: {e.Message}");
        }
    }

    private void Follow(IEventStore store, RoundPayer payer, CoordinatorChainSettings settings, TextWriter log)
    {
        async ValueTask Pay(RecordedEvent recorded, CancellationToken cancellationToken)
        {
            await payer.HandleAsync(recorded, cancellationToken);
            if (RunRounds.IsRoundAggregated(recorded) && PayoutEventCodec.Decode(recorded) is RoundAggregated round)
                log.WriteLine($"chain: paid round {round.Round} of run {recorded.StreamId["run-".Length..]}");
        }
        _following = PayoutFollower.Start(store, _checkpoints, Pay, settings.Rpc, Console.Error, Console.Error);
        var interval = TimeSpan.FromTicks(Math.Clamp(settings.PayoutOverdue.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _watch = new PayoutWatch(store, _following, settings.PayoutOverdue, interval, TimeProvider.System, Console.Error);
    }

    /// <summary>Stops paying; returns why payouts had stopped before (a failure that was not an outage), if they had.</summary>
    public async Task<Exception?> StopAsync()
    {
        if (_watch is not null) await _watch.DisposeAsync();
        _watch = null;
        return _following is null ? null : await _following.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_following is not null) await _following.DisposeAsync();
        if (_checkpoints is IAsyncDisposable checkpoints) await checkpoints.DisposeAsync();
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        _client.Dispose();
    }
}
