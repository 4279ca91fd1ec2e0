using System.CommandLine;
using System.Runtime.CompilerServices;
using Federated.Blobs;
using Federated.Blobs.Http;
using Federated.Cli.Distributed;
using Federated.Cli.Embedded;
using Federated.Cli.Output;
using Federated.Coordinator.Data;
using Federated.Coordinator.Messaging;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.Messaging;
using Federated.Rewards;
using MassTransit;

namespace Federated.Cli.Commands;

/// <summary>
/// `fed coordinator`: the long-running coordinator of the distributed deployment. It resumes the runs the log shows
/// as running, serves blobs to workers over HTTP, takes work messages and launch requests from the broker, and on
/// SIGTERM / Ctrl+C stops consuming, lets the current append finish, and closes bus and store (exit code 0).
/// </summary>
internal static class CoordinatorCommand
{
    public const string BlobListenVariable = "FED_BLOB_LISTEN";
    public const string DefaultBlobListen = "http://127.0.0.1:5080";
    public const string AdminsVariable = "FED_ADMINS";
    /// <summary>The secret that issues per-lease blob tokens, in the data folder: kept across restarts, never in the log.</summary>
    public const string BlobSecretFile = "blob-token.secret";

    /// <summary>The admin addresses from the option or FED_ADMINS, each checked; null (after saying why) when one is not an address.</summary>
    private static IReadOnlyList<string>? AdminsOrError(string[]? option)
    {
        var given = option is { Length: > 0 } ? option
            : (Environment.GetEnvironmentVariable(AdminsVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var admins = new List<string>();
        foreach (var text in given)
        {
            if (!Chain.EthereumAddress.TryParse(text, out var address) || address is null)
            {
                Console.Error.WriteLine($"error: admin '{text}' is not an Ethereum address (0x and 40 hex digits)");
                return null;
            }
            admins.Add(address.ToChecksumString());
        }
        return admins;
    }

    public static Command Create()
    {
        var broker = DistributedOptions.Broker();
        var store = DistributedOptions.Store();
        var blobListen = new Option<string?>("--blob-listen")
        {
            Description = $"Address of the HTTP blob server workers download from and upload to; default ${BlobListenVariable} or {DefaultBlobListen}",
        };
        var data = new Option<string>("--data")
        {
            Description = "Folder for the blobs (and the SQLite event log when --store is not given)",
            DefaultValueFactory = _ => "fed-coordinator",
        };
        var run = new Option<FileInfo?>("--run") { Description = "Launch a run from this spec file once started" };
        var admins = new Option<string[]>("--admin")
        {
            Description = $"Address of a consortium admin whose signed requests (fed launch) are obeyed; repeat for several; default ${AdminsVariable} (comma-separated)",
            AllowMultipleArgumentsPerToken = false,
        };
        var gcInterval = new Option<double>("--blob-gc-interval-minutes")
        {
            Description = "How often blobs no event names (orphan uploads) are deleted; 0 turns collection off",
            DefaultValueFactory = _ => 10,
        };
        var gcGrace = new Option<double>("--blob-gc-grace-minutes")
        {
            Description = "How old an orphan blob must be before it is deleted; must outlast a lease",
            DefaultValueFactory = _ => 60,
        };
        var dataRoot = CommonOptions.DataRoot($"${CommonOptions.DataRootVariable}; with neither, launch requests cannot use dataset files and a --run spec reads from its own folder");
        var maxDatasetBytes = CommonOptions.MaxDatasetBytes();
        var command = new Command("coordinator", "Run the coordinator of a distributed deployment (until SIGTERM or Ctrl+C)")
        {
            broker, store, blobListen, data, run, admins, dataRoot, maxDatasetBytes, gcInterval, gcGrace,
        };
        var chainOptions = new CoordinatorChainOptions();
        foreach (var option in chainOptions.All) command.Options.Add(option);
        var livenessOptions = new WorkerLivenessOptions();
        foreach (var option in livenessOptions.All) command.Options.Add(option);
        command.SetAction((parse, ct) =>
        {
            if (AdminsOrError(parse.GetValue(admins)) is not { } adminList) return Task.FromResult(ExitCodes.BadInput);
            CoordinatorChainSettings? chain;
            try { chain = chainOptions.Read(parse); }
            catch (CoordinatorChainException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            // A run spec from the bus names its dataset file; only this folder may hold it.
            if (!CommonOptions.TryDataRoot(OptionValues.ValueOrVariable(parse.GetValue(dataRoot), CommonOptions.DataRootVariable), parse.GetValue(maxDatasetBytes), out var root))
                return Task.FromResult(ExitCodes.BadInput);
            DataRoot? runFileRoot = null;
            if (root is null && parse.GetValue(run) is { Directory.Exists: true } runFile && !CommonOptions.TryDataRoot(runFile.DirectoryName, parse.GetValue(maxDatasetBytes), out runFileRoot))
                return Task.FromResult(ExitCodes.BadInput);
            var (interval, grace) = (parse.GetValue(gcInterval), parse.GetValue(gcGrace));
            if (!double.IsFinite(interval) || interval < 0 || !double.IsFinite(grace) || grace < 0)
            {
                Console.Error.WriteLine($"error: --blob-gc-interval-minutes ({interval}) and --blob-gc-grace-minutes ({grace}) must be finite and not negative");
                return Task.FromResult(ExitCodes.BadInput);
            }
            WorkerLiveness liveness;
            try { liveness = livenessOptions.Read(parse); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunAsync(parse.GetValue(broker), parse.GetValue(store), parse.GetValue(blobListen), parse.GetValue(data)!, parse.GetValue(run), adminList, chain,
                root, runFileRoot, new BlobRetention(TimeSpan.FromMinutes(interval), TimeSpan.FromMinutes(grace)), liveness, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? brokerOption, string? storeOption, string? blobListenOption, string dataPath, FileInfo? runFile,
        IReadOnlyList<string> admins, CoordinatorChainSettings? chainSettings, DataRoot? datasetRoot, DataRoot? runFileRoot, BlobRetention retention, WorkerLiveness liveness, CancellationToken cancellationToken)
    {
        // One coordinator per data folder: a second one would serve and collect the same blobs and log (and pay twice).
        DataDirectoryLock dataLock;
        try { dataLock = DataDirectoryLock.Acquire(Path.GetFullPath(dataPath)); }
        catch (Exception e) when (e is DataDirectoryLockedException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        using var held = dataLock;
        var payoutFailure = new StrongBox<Exception?>();
        var exit = await RunUntilStoppedAsync(brokerOption, storeOption, blobListenOption, dataPath, runFile, admins, chainSettings, datasetRoot, runFileRoot, retention, liveness, payoutFailure, cancellationToken);
        if (payoutFailure.Value is not { } failure) return exit;
        // Payouts stopped for good during the run (reported then, and by the overdue warnings): a clean stop still exits non-zero.
        Console.Error.WriteLine($"error: payouts had stopped: {PayoutFollower.Describe(failure)}");
        return exit == ExitCodes.Ok ? ExitCodes.Failed : exit;
    }

    private static async Task<int> RunUntilStoppedAsync(string? brokerOption, string? storeOption, string? blobListenOption, string dataPath, FileInfo? runFile,
        IReadOnlyList<string> admins, CoordinatorChainSettings? chainSettings,
        DataRoot? datasetRoot, DataRoot? runFileRoot, BlobRetention retention, WorkerLiveness liveness, StrongBox<Exception?> payoutFailure, CancellationToken cancellationToken)
    {
        var log = Console.Out;
        if (DistributedOptions.BusSettingsOrError(brokerOption, "fed-coordinator") is not { } settings) return ExitCodes.BadInput;
        RunSpec? spec = null;
        if (runFile is not null)
        {
            try { spec = RunSpecFile.Load(runFile.FullName); }
            catch (RunSpecException e)
            {
                Console.Error.WriteLine($"error: invalid run spec {runFile.FullName}: {e.Message}");
                return ExitCodes.BadInput;
            }
        }
        var dataRoot = Path.GetFullPath(dataPath);
        StoreLocation location;
        try { location = StoreLocation.Resolve(storeOption, Path.Combine(dataRoot, "events.db")); }
        catch (StoreLocationException e)
        {
            Console.Error.WriteLine($"error: bad event store: {e.Message}");
            return ExitCodes.BadInput;
        }

        Directory.CreateDirectory(dataRoot);
        IEventStore eventStore;
        try { eventStore = await location.OpenAsync(cancellationToken); }
        catch (EventStoreException e)
        {
            Console.Error.WriteLine($"error: cannot open the event store ({location}): {e.Message}");
            return ExitCodes.BadInput;
        }

        var blobs = new DirectoryBlobStore(Path.Combine(dataRoot, "blobs"));
        Blobs.Access.BlobLeaseTokens blobTokens;
        try { blobTokens = Blobs.Access.BlobLeaseTokens.LoadOrCreate(Path.Combine(dataRoot, BlobSecretFile)); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            await StoreLocation.CloseAsync(eventStore);
            return ExitCodes.BadInput;
        }

        IBusControl? bus = null;
        var coordinator = new RunCoordinator(eventStore, blobs, new BusWorkDispatcher(() => bus!), TimeProvider.System,
            new CoordinatorOptions { Admins = admins, BlobTokens = blobTokens, DataRoot = datasetRoot, WorkerLiveness = liveness });
        var listen = OptionValues.ValueOrVariable(blobListenOption, BlobListenVariable) ?? DefaultBlobListen;
        BlobServer blobServer;
        try
        {
            // Workers read and write only under the token of a lease they hold (TrainShard.BlobToken).
            blobServer = await BlobServer.StartAsync(blobs, listen, new BlobEndpointOptions { LeaseAccess = new BlobLeaseAccess(blobTokens, coordinator.OpenLeases) },
                cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: cannot serve blobs at {listen}: {e.Message}");
            await StoreLocation.CloseAsync(eventStore);
            return ExitCodes.BadInput;
        }
        var collection = BlobCollection.Start(eventStore, blobs, retention.Interval, retention.Grace, log);

        log.WriteLine(admins.Count == 0
            ? $"no consortium admins configured (--admin or ${AdminsVariable}): runs start only from --run; `fed launch` requests are refused"
            : $"consortium admins: {string.Join(", ", admins)}");
        log.WriteLine(datasetRoot is null
            ? $"no data root (--data-root or ${CommonOptions.DataRootVariable}): launch requests can use the built-in corpus only"
            : $"dataset files from the data root {datasetRoot}");
        var progress = new SynchronousProgress<RoundReport>(r => log.WriteLine($"run {r.RunId} {SummaryWriter.RoundLine(r)}"));
        var host = new CoordinatorHost(coordinator, eventStore, progress, log);
        var busStarted = false;
        CoordinatorChain? payouts = null;
        try
        {
            // Runs are loaded before the first message is taken, so no worker message finds its run missing.
            var resumed = await host.StartAsync(cancellationToken);
            if (chainSettings is null) log.WriteLine("chain: none configured (--chain-rpc, --distributor), so rounds are not paid");
            else payouts = await CoordinatorChain.StartAsync(chainSettings, location, eventStore, log, cancellationToken);
            bus = FederatedBus.Create(settings, endpoints =>
                endpoints.ReceiveEndpoint(CoordinatorEndpoint.QueueName, e => CoordinatorEndpoint.Configure(e, coordinator, host)));
            await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30), cancellationToken);
            busStarted = true;
            log.WriteLine($"coordinator ready: broker {settings.RedactedBroker}, store {location}, blobs at {blobServer.BaseAddress}, {resumed.Count} running run(s) resumed");
            if (spec is not null) await host.LaunchAsync(spec, runFileRoot, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is CoordinatorChainException or BrokerConnectionException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (EventStoreException e)
        {
            Console.Error.WriteLine($"error: event store ({location}): {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (RunSpecException e)
        {
            Console.Error.WriteLine($"error: invalid run spec: {e.Message}");
            return ExitCodes.BadInput;
        }
        finally
        {
            log.WriteLine("coordinator stopping");
            // Stop consuming first (MassTransit waits for the messages in hand), then the drivers, then the servers.
            if (bus is not null && busStarted)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try { await bus.StopAsync(timeout.Token); } catch (Exception e) { Console.Error.WriteLine($"warning: bus did not stop cleanly: {e.Message}"); }
            }
            await host.DisposeAsync();
            if (payouts is not null)
            {
                payoutFailure.Value = await payouts.StopAsync();
                await payouts.DisposeAsync();
            }
            if (collection is not null) await collection.DisposeAsync();
            await blobServer.DisposeAsync();
            await StoreLocation.CloseAsync(eventStore);
            log.WriteLine("coordinator stopped");
        }
    }
}

/// <summary>How the coordinator collects orphan blobs: every <paramref name="Interval"/> (zero: never), those older than <paramref name="Grace"/>.</summary>
internal sealed record BlobRetention(TimeSpan Interval, TimeSpan Grace);
