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
        var heartbeat = new Option<double>("--heartbeat-seconds") { Description = "How often the worker checks that its queue is consumed and, if so, announces itself", DefaultValueFactory = _ => 10 };
        var recover = new Option<double>("--recover-seconds")
        {
            Description = "How long the worker may go without a consumer on its queue (broker away, endpoint dead: it restarts its bus meanwhile) before it exits with code 1",
            DefaultValueFactory = _ => ServingPolicy.Default.GiveUpAfter.TotalSeconds,
        };
        var identity = new Identity.KeyOptions("worker's", "--key-file", Identity.WorkerKeys.KeyVariable);
        var command = new Command("worker", "Run a worker of a distributed deployment (until SIGTERM or Ctrl+C)") { broker, blobUrl, id, threads, heartbeat, recover };
        identity.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            byte[] key;
            try
            {
                key = identity.Load(parse) ?? NewIdentity();
            }
            catch (Identity.WorkerKeyException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunAsync(parse.GetValue(broker), parse.GetValue(blobUrl), parse.GetValue(id), parse.GetValue(threads),
                parse.GetValue(heartbeat), parse.GetValue(recover), key, ct);
        });
        return command;
    }

    /// <summary>No key given: this process signs with a fresh one, so it can still take part, but its rewards go to an
    /// address nobody keeps; say so.</summary>
    private static byte[] NewIdentity()
    {
        Console.Error.WriteLine($"warning: no worker key (--key-file or ${Identity.WorkerKeys.KeyVariable}): signing with a new key for this process only; " +
            "its payouts go to an address whose key is lost when it exits. Create a lasting identity with `fed worker keygen --out worker.json`.");
        return Identity.WorkerKeys.Random();
    }

    private static async Task<int> RunAsync(string? brokerOption, string? blobUrlOption, string? idOption, int threads, double heartbeatSeconds,
        double recoverSeconds, byte[] key, CancellationToken cancellationToken)
    {
        var log = Console.Out;
        var workerId = OptionValues.ValueOrVariable(idOption, WorkerIdVariable) ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        if (!workerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Console.Error.WriteLine($"error: bad worker id '{workerId}': use letters, digits, '-', '_' or '.'");
            return ExitCodes.BadInput;
        }
        if (threads < 1 || !(heartbeatSeconds > 0) || !(recoverSeconds > 0) || double.IsInfinity(heartbeatSeconds) || double.IsInfinity(recoverSeconds))
        {
            Console.Error.WriteLine("error: --threads must be at least 1, --heartbeat-seconds and --recover-seconds positive and finite");
            return ExitCodes.BadInput;
        }
        if (DistributedOptions.BusSettingsOrError(brokerOption, $"fed-worker-{workerId}") is not { } settings) return ExitCodes.BadInput;
        var blobText = OptionValues.ValueOrVariable(blobUrlOption, BlobUrlVariable);
        if (blobText is null || !Uri.TryCreate(blobText, UriKind.Absolute, out var blobBase) || blobBase.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine(blobText is null
                ? $"error: no blob server given: pass --blob-url or set {BlobUrlVariable} (the coordinator's --blob-listen address)"
                : $"error: bad blob server URL '{blobText}': expected http://host:port");
            return ExitCodes.BadInput;
        }

        using var blobs = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = blobBase });
        var signer = new EthereumContributionSigner(key);
        var worker = new ShardWorker(workerId, blobs, threads, signer);
        var queueName = WorkerEndpoint.QueueNameFor(workerId);
        IBusControl? bus = null;
        var queue = new ShardTrainingQueue(worker, () => bus!, log);
        IBusControl NewBus()
        {
            var created = FederatedBus.Create(settings, endpoints =>
                endpoints.ReceiveEndpoint(queueName, e => WorkerEndpoint.Configure(e, worker, queue)));
            created.ConnectReceiveEndpointObserver(new EndpointEventLog(log));
            return created;
        }
        bus = NewBus();
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

        // A dead receive endpoint is replaced with a whole new bus: the old one's connection and channels are what broke.
        async Task RestartBusAsync(CancellationToken ct)
        {
            using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                try { await bus.StopAsync(stopTimeout.Token); } catch (Exception e) { log.WriteLine($"old bus did not stop cleanly: {e.Message}"); }
            }
            var fresh = NewBus();
            await FederatedBus.StartAsync(fresh, settings, TimeSpan.FromSeconds(30), ct);
            bus = fresh;
            log.WriteLine("bus restarted");
        }

        await using var probe = new QueueConsumerProbe(settings, queueName);
        var policy = ServingPolicy.Default with { GiveUpAfter = TimeSpan.FromSeconds(recoverSeconds) };
        queue.Start();
        var host = new WorkerHost(worker, () => bus, TimeSpan.FromSeconds(heartbeatSeconds),
            supervision: probe.Applies ? new WorkerSupervision(new BrokerServingProbe(probe), RestartBusAsync, policy, log) : null);
        var exit = ExitCodes.Ok;
        try
        {
            await host.StartAsync(cancellationToken);
            log.WriteLine($"worker {workerId} ready as {signer.Address}: broker {settings.RedactedBroker}, blobs at {blobBase}, {threads} thread(s)");
            var gaveUp = await host.GaveUp.WaitAsync(cancellationToken);
            Console.Error.WriteLine($"error: {gaveUp}; exiting so that it can be restarted (--recover-seconds)");
            exit = ExitCodes.Failed;
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
        return exit;
    }

    /// <summary>Serving means the broker shows a consumer on the worker's queue.</summary>
    private sealed class BrokerServingProbe(QueueConsumerProbe probe) : IServingProbe
    {
        public async Task<ServingStatus> CheckAsync(CancellationToken cancellationToken)
        {
            var answer = await probe.AskAsync(cancellationToken);
            var state = !answer.Reachable ? ServingState.BrokerAway : answer.Consumers > 0 ? ServingState.Serving : ServingState.NotConsuming;
            return new ServingStatus(state, answer.Detail);
        }
    }
}
