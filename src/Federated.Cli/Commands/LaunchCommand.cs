using System.CommandLine;
using Federated.Cli.Distributed;
using Federated.Contracts;
using Federated.Coordinator.Messaging;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.Messaging;
using MassTransit;

namespace Federated.Cli.Commands;

/// <summary>
/// `fed launch spec.yaml --broker ...`: submits a run to a running `fed coordinator` (LaunchRunRequested, answered by
/// RunLaunchAnswered) and prints the run id on stdout. With --wait it follows the run in the event log (--store) to
/// the end and prints the summary (--json for JSON).
/// </summary>
internal static class LaunchCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "Run spec, JSON or YAML (see models/)" };
        var broker = DistributedOptions.Broker();
        var store = DistributedOptions.Store();
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end (reads the event log given by --store)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the coordinator's answer", DefaultValueFactory = _ => 60 };
        var json = CommonOptions.Json("the run id or, with --wait, the summary");
        var admin = new Identity.KeyOptions("consortium admin's", "--admin-key-file", AdminKeyVariable);
        var command = new Command("launch", "Submit a run to a running `fed coordinator`, signed by a consortium admin") { spec, broker, store, wait, timeout, json };
        admin.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            byte[]? key;
            try
            {
                key = admin.Load(parse);
            }
            catch (Identity.WorkerKeyException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            if (key is null)
            {
                Console.Error.WriteLine($"error: launching a run needs a consortium admin's key: give --admin-key-file or set {AdminKeyVariable}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunAsync(parse.GetValue(spec)!, parse.GetValue(broker), parse.GetValue(store), parse.GetValue(wait),
                parse.GetValue(timeout), parse.GetValue(json), key, ct);
        });
        return command;
    }

    public const string AdminKeyVariable = "FED_ADMIN_KEY";

    /// <summary>The request, signed: an EIP-712 AdminAction("launch-run", request id, the spec's bytes, now) by the admin key.</summary>
    private static LaunchRunRequested Signed(string specJson, byte[] adminKey)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var issued = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = Chain.Attestations.AdminAction.For(Chain.Attestations.AdminAction.LaunchRun, requestId, System.Text.Encoding.UTF8.GetBytes(specJson), issued).Sign(adminKey);
        return new LaunchRunRequested
        {
            RequestId = requestId, SpecJson = specJson,
            Admin = Chain.Signing.EthSigner.AddressOf(adminKey).ToChecksumString(), IssuedAt = issued, Signature = signature,
        };
    }

    private static async Task<int> RunAsync(FileInfo file, string? brokerOption, string? storeOption, bool wait, int timeoutSeconds, bool json,
        byte[] adminKey, CancellationToken cancellationToken)
    {
        RunSpec spec;
        try
        {
            spec = RunSpecFile.Load(file.FullName);
            RunSpecValidator.Validate(spec);
            SpecModels.Create(spec.Model);
        }
        catch (RunSpecException e)
        {
            Console.Error.WriteLine($"error: invalid run spec {file.FullName}: {e.Message}");
            return ExitCodes.BadInput;
        }
        // A dataset file is the coordinator's to read, from its own data root (--data-root): the path goes as written,
        // and the coordinator answers with the reason when it refuses it.

        StoreLocation? location = null;
        if (wait)
        {
            try { location = StoreLocation.Resolve(storeOption, null); }
            catch (StoreLocationException e)
            {
                Console.Error.WriteLine($"error: --wait reads the event log: {e.Message}");
                return ExitCodes.BadInput;
            }
        }
        if (DistributedOptions.BusSettingsOrError(brokerOption, "fed-launch") is not { } settings) return ExitCodes.BadInput;

        var bus = FederatedBus.Create(settings);
        string runId;
        try
        {
            await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30), cancellationToken);
            var client = bus.CreateRequestClient<LaunchRunRequested>(new Uri($"queue:{CoordinatorEndpoint.QueueName}"), RequestTimeout.After(s: timeoutSeconds));
            var answer = await client.GetResponse<RunLaunchAnswered>(Signed(RunSpecFile.ToJson(spec), adminKey), cancellationToken);
            if (answer.Message.Error is { } error || answer.Message.RunId is not { } launched)
            {
                Console.Error.WriteLine($"error: the coordinator refused the run: {answer.Message.Error ?? "no run id in its answer"}");
                return ExitCodes.BadInput;
            }
            runId = launched;
        }
        catch (BrokerConnectionException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (RequestTimeoutException)
        {
            Console.Error.WriteLine($"error: no coordinator answered on queue:{CoordinatorEndpoint.QueueName} at {settings.RedactedBroker} within {timeoutSeconds} s; is `fed coordinator` running?");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await bus.StopAsync(stop.Token); } catch (Exception) { /* the answer is in hand; nothing else to send */ }
        }

        if (!wait)
        {
            Console.Out.WriteLine(json ? $"{{\"runId\":\"{runId}\"}}" : runId);
            return ExitCodes.Ok;
        }

        var log = json ? Console.Error : Console.Out;
        log.WriteLine($"launched run {runId}; following it in {location}");
        IEventStore store;
        try { store = await location!.OpenAsync(cancellationToken); }
        catch (EventStoreException e)
        {
            Console.Error.WriteLine($"error: cannot open the event store ({location}): {e.Message}; the run {runId} goes on");
            return ExitCodes.BadInput;
        }
        try
        {
            var state = await RunFollower.FollowAsync(store, runId, log, TimeSpan.FromMilliseconds(500), cancellationToken);
            var summary = RunStatusSummary.Of(runId, state);
            if (json) Console.Out.WriteLine(summary.Json());
            else summary.Text(Console.Out);
            return state.Status == RunStatus.Completed ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"stopped following run {runId}; it goes on in the coordinator");
            return ExitCodes.Cancelled;
        }
        finally
        {
            await StoreLocation.CloseAsync(store);
        }
    }
}
