using System.CommandLine;
using System.Text.Json;
using Federated.Blobs;
using Federated.Cli.Embedded;
using Federated.Coordinator.Verification;
using Federated.EventStore;
using Federated.Cli.Distributed;

namespace Federated.Cli.Commands;

/// <summary>`fed verify`: check the hash chain, then replay every run and re-derive its models and ledger.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json("the report");
        var store = new Option<string?>("--store")
        {
            Description = "The event log of a distributed coordinator: a SQLite file or a PostgreSQL connection string (blobs still come from --data-dir, the coordinator's --data folder)",
        };
        var chainRpc = new Option<string?>("--chain-rpc") { Description = "Compare the payout commitments with this chain (with --distributor) instead of the embedded chain" };
        var distributor = new Option<string?>("--distributor") { Description = "The RewardDistributor on --chain-rpc" };
        var overdue = new Option<int>("--payout-overdue-seconds")
        {
            Description = "With a chain (embedded or --chain-rpc), a round still unpaid this many seconds after its aggregation fails the check",
            DefaultValueFactory = _ => CoordinatorChainOptions.DefaultPayoutOverdueSeconds,
        };
        var command = new Command("verify", "Check the log's hash chain and replay every run, re-deriving each model bit for bit")
        {
            dataDir, json, store, chainRpc, distributor, overdue,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = DataDirectory.At(parse.GetValue(dataDir));
            var asJson = parse.GetValue(json);
            ExternalChain? external;
            try
            {
                external = ExternalChain.From(parse.GetValue(chainRpc), parse.GetValue(distributor));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            if (parse.GetValue(overdue) is var overdueSeconds && overdueSeconds < 0)
            {
                Console.Error.WriteLine($"error: --payout-overdue-seconds must not be negative, got {overdueSeconds}");
                return ExitCodes.BadInput;
            }
            if (StoreLocation.ForReading(parse.GetValue(store), data.EventsDb) is not { } location) return ExitCodes.BadInput;
            VerifyReport report;
            CommitmentReport? commitments = null;
            try
            {
                var eventStore = await location.OpenAsync(ct);
                try
                {
                    var progress = new SynchronousProgress<string>(m => Console.Error.WriteLine(m));
                    report = await new RunVerifier(eventStore, new DirectoryBlobStore(data.Blobs)).VerifyAsync(progress, ct);
                    if (report.IsValid) commitments = await ChainCommitmentCheck.RunAsync(data, eventStore, external, TimeSpan.FromSeconds(overdueSeconds), ct);
                }
                finally
                {
                    await StoreLocation.CloseAsync(eventStore);
                }
            }
            catch (EventStoreException e)
            {
                Console.Error.WriteLine($"FAILED: the event log cannot be read: {e.Message}");
                return ExitCodes.Failed;
            }
            var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
            if (asJson)
            {
                var node = JsonSerializer.SerializeToNode(report, options)!.AsObject();
                node["commitments"] = commitments is null ? null : JsonSerializer.SerializeToNode(commitments, options);
                Console.Out.WriteLine(node.ToJsonString());
            }
            else Print(report);
            if (!asJson && commitments is not null) ChainCommitmentCheck.Print(commitments, Console.Out);
            return report.IsValid && (commitments?.Ok ?? true) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static void Print(VerifyReport report)
    {
        if (report.Failure is { } f)
        {
            Console.Out.WriteLine($"FAILED at event {f}");
            Console.Out.WriteLine($"  {report.EventsVerified} events before it passed the hash chain check");
            return;
        }
        Console.Out.WriteLine($"ok: {report.EventsVerified} events, hash chain intact");
        Console.Out.WriteLine($"ok: {report.Runs} run(s) replayed, {report.RoundsReplayed} round(s): every model and validation loss reproduced bit for bit");
        if (report.Ledger.Lines.Count == 0) return;
        Console.Out.WriteLine("contributions:");
        foreach (var l in report.Ledger.Lines)
            Console.Out.WriteLine($"  {l.RunId}  {l.WorkerId,-12} accepted {l.Accepted,4}  rejected {l.Rejected,3}  tokens {l.Tokens}");
    }
}
