using System.CommandLine;
using Federated.Blobs.Http;
using Federated.Messaging;
using Federated.Worker;
using MassTransit;

namespace Federated.Cli.Commands;

/// <summary>
/// `fed worker`: trains shards for a distributed coordinator. It announces itself (and keeps doing so, so a
/// restarted coordinator finds it), acknowledges each task on arrival and trains it in the background, and on
/// SIGTERM / Ctrl+C hands its shards back and says goodbye (WorkerLeaving). The bus reconnects after a broker restart.
/// </summary>
internal static class WorkerCommand
{
    public const string BlobUrlVariable = "FED_BLOB_URL";
    public const string WorkerIdVariable = "FED_WORKER_ID";

    public static Command Create()
    {
        var broker = DistributedOptions.Broker();
        var blobUrl = new Option<string?>("--blob-url") { Description = $"The coordinator's blob server, e.g. http://127.0.0.1:5080; default ${BlobUrlVariable}" };
        var id = new Option<string?>("--id") { Description = $"Worker id (its queue is fed-worker-<id>); default ${WorkerIdVariable} or <hostname>-<pid>" };
        var threads = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => 1 };
        var heartbeat = new Option<double>("--heartbeat-seconds") { Description = "How often the worker announces itself", DefaultValueFactory = _ => 10 };
        var keystore = new Option<FileInfo?>("--keystore")
        {
            Description = $"The worker's key (fed worker keygen; password from ${Identity.WorkerKeys.PasswordVariable}); default the hex key in ${Identity.WorkerKeys.KeyVariable}, else unsigned (and unpaid)",
        };
        var command = new Command("worker", "Run a worker of a distributed deployment (until SIGTERM or Ctrl+C)") { broker, blobUrl, id, threads, heartbeat, keystore };
        command.SetAction((parse, ct) =>
        {
            IContributionSigner? signer;
            try
            {
                var key = parse.GetValue(keystore) is { } file
                    ? Identity.WorkerKeys.FromKeystore(file.FullName, Identity.WorkerKeys.Password(null)).PrivateKey
                    : Identity.WorkerKeys.FromEnvironment();
                signer = key is null ? null : new EthereumContributionSigner(key);
            }
            catch (Identity.WorkerKeyException e)
            {
                Console.Error.WriteLine($"error: worker key: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunAsync(parse.GetValue(broker), parse.GetValue(blobUrl), parse.GetValue(id), parse.GetValue(threads),
                parse.GetValue(heartbeat), signer, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? brokerOption, string? blobUrlOption, string? idOption, int threads, double heartbeatSeconds, IContributionSigner? signer, CancellationToken cancellationToken)
    {
        var log = Console.Out;
        var workerId = DistributedOptions.ValueOrVariable(idOption, WorkerIdVariable) ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        if (!workerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Console.Error.WriteLine($"error: bad worker id '{workerId}': use letters, digits, '-', '_' or '.'");
            return ExitCodes.BadInput;
        }
        if (threads < 1 || heartbeatSeconds <= 0)
        {
            Console.Error.WriteLine("error: --threads must be at least 1 and --heartbeat-seconds positive");
            return ExitCodes.BadInput;
        }
        if (DistributedOptions.BusSettingsOrError(brokerOption, $"fed-worker-{workerId}") is not { } settings) return ExitCodes.BadInput;
        var blobText = DistributedOptions.ValueOrVariable(blobUrlOption, BlobUrlVariable);
        if (blobText is null || !Uri.TryCreate(blobText, UriKind.Absolute, out var blobBase) || blobBase.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine(blobText is null
                ? $"error: no blob server given: pass --blob-url or set {BlobUrlVariable} (the coordinator's --blob-listen address)"
                : $"error: bad blob server URL '{blobText}': expected http://host:port");
            return ExitCodes.BadInput;
        }

        using var blobs = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = blobBase });
        var worker = new ShardWorker(workerId, blobs, threads, signer);
        IBusControl? bus = null;
        var queue = new ShardTrainingQueue(worker, () => bus!, log);
        bus = FederatedBus.Create(settings, endpoints =>
            endpoints.ReceiveEndpoint(WorkerEndpoint.QueueNameFor(workerId), e => WorkerEndpoint.Configure(e, worker, queue)));
        try
        {
            await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (BrokerConnectionException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        queue.Start();
        var host = new WorkerHost(worker, bus, TimeSpan.FromSeconds(heartbeatSeconds));
        try
        {
            await host.StartAsync(cancellationToken);
            log.WriteLine($"worker {workerId} ready: broker {settings.RedactedBroker}, blobs at {blobBase}, {threads} thread(s), {(signer is null ? "unsigned" : $"signing as {signer.Address}")}");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        finally
        {
            log.WriteLine($"worker {workerId} stopping");
            await queue.DisposeAsync();
            await host.DisposeAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await bus.StopAsync(timeout.Token); } catch (Exception e) { Console.Error.WriteLine($"warning: bus did not stop cleanly: {e.Message}"); }
            log.WriteLine($"worker {workerId} stopped");
        }
        return ExitCodes.Ok;
    }
}
