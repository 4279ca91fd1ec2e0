using System.CommandLine;
using Federated.Blobs;
using Federated.Cli.Distributed;
using Federated.Cli.Embedded;
using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Cli.Commands;

/// <summary>`fed blobs gc`: deletes the blobs no event names, older than a grace period (what `fed coordinator` also
/// does every few minutes). Blobs an event names, of every run, finished ones included, are kept for `fed verify`.</summary>
internal static class BlobsCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var storeOption = new Option<string?>("--store")
        {
            Description = "The event log of a distributed coordinator: a SQLite file or a PostgreSQL connection string (instead of --data-dir's)",
        };
        var grace = new Option<double>("--grace-minutes")
        {
            Description = "Only blobs unnamed and unwritten for this long are deleted; must outlast a lease",
            DefaultValueFactory = _ => 60,
        };
        var gc = new Command("gc", "Delete blobs that no event in the log names (orphan uploads), older than the grace period") { dataDir, storeOption, grace };
        gc.SetAction(async (parse, ct) =>
        {
            var minutes = parse.GetValue(grace);
            if (!double.IsFinite(minutes) || minutes < 0)
            {
                Console.Error.WriteLine($"error: --grace-minutes must be a finite number of minutes, not negative; got {minutes}");
                return ExitCodes.BadInput;
            }
            var data = DataDirectory.At(parse.GetValue(dataDir));
            if (!Directory.Exists(data.Blobs))
            {
                Console.Error.WriteLine($"error: no blob store at {data.Blobs}");
                return ExitCodes.BadInput;
            }
            if (StoreLocation.ForReading(parse.GetValue(storeOption), data.EventsDb) is not { } location) return ExitCodes.BadInput;
            IEventStore? store = null;
            try
            {
                store = await location.OpenAsync(ct);
                var report = await OrphanBlobCollector.CollectAsync(store, new DirectoryBlobStore(data.Blobs), TimeSpan.FromMinutes(minutes), TimeProvider.System, ct);
                Console.Out.WriteLine($"deleted {report.Deleted} orphan file(s) ({report.BytesFreed} bytes); kept {report.Kept}; the log names {report.Referenced} blob(s)");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is EventStoreException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            finally
            {
                if (store is not null) await StoreLocation.CloseAsync(store);
            }
        });
        return new Command("blobs", "Maintain the blob store") { gc };
    }
}
