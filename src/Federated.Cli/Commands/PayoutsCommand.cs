using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Federated.Cli.Distributed;
using Federated.Cli.Embedded;
using Federated.EventStore;
using Federated.Rewards;

namespace Federated.Cli.Commands;

/// <summary>`fed payouts`: every round payout in the log, with its state and transactions.</summary>
internal static class PayoutsCommand
{
    public sealed record Line(
        string RunId, int Round, string Status, string ChainRoundId, string Commitment, string Total, int Recipients,
        IReadOnlyList<Attempt> Transactions, string? ConfirmedBy, ulong? Block, ulong? GasUsed, string? LastFailure);

    public sealed record Attempt(string Hash, ulong Nonce, string MaxFeePerGas, bool Submitted);

    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var run = new Option<string?>("--run") { Description = "Only this run's payouts" };
        var json = CommonOptions.Json("the payouts");
        var storeOption = new Option<string?>("--store")
        {
            Description = "The event log of a distributed coordinator: a SQLite file or a PostgreSQL connection string (instead of --data-dir's)",
        };
        var command = new Command("payouts", "List the reward payouts of the log: per round, its state, transactions and commitment") { dataDir, run, json, storeOption };
        command.SetAction(async (parse, ct) =>
        {
            var data = DataDirectory.At(parse.GetValue(dataDir));
            if (StoreLocation.ForReading(parse.GetValue(storeOption), data.EventsDb) is not { } location) return ExitCodes.BadInput;
            IEventStore? store = null;
            try
            {
                store = await location.OpenAsync(ct);
                var runId = parse.GetValue(run);
                var lines = (await PayoutCatalog.ListAsync(store, ct)).Where(p => runId is null || p.RunId == runId).Select(ToLine).ToList();
                if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(lines, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                else if (lines.Count == 0) Console.Error.WriteLine(runId is null ? "no payouts in the log" : $"no payouts for run {runId}");
                else foreach (var l in lines) Print(l);
                return ExitCodes.Ok;
            }
            catch (EventStoreException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            finally
            {
                if (store is not null) await StoreLocation.CloseAsync(store);
            }
        });
        return command;
    }

    private static Line ToLine(PayoutRecord p)
    {
        var a = p.State.Allocation!;
        var total = a.Payouts.Aggregate(BigInteger.Zero, (sum, l) => sum + BigInteger.Parse(l.Amount, CultureInfo.InvariantCulture));
        return new Line(p.RunId, p.Round, p.State.Status.ToString().ToLowerInvariant(), a.ChainRoundId, a.Commitment, total.ToString(CultureInfo.InvariantCulture),
            a.Payouts.Count, [.. p.State.Attempts.Select(t => new Attempt(t.TransactionHash, t.Nonce, t.MaxFeePerGas.ToString(CultureInfo.InvariantCulture), t.Submitted))],
            p.State.Confirmation?.TransactionHash, p.State.Confirmation?.BlockNumber, p.State.Confirmation?.GasUsed, p.State.LastFailure?.Reason);
    }

    private static void Print(Line l)
    {
        Console.Out.WriteLine($"{l.RunId}  round {l.Round,3}  {l.Status,-9}  {l.Total} base units to {l.Recipients} worker(s)  commitment {l.Commitment}");
        foreach (var t in l.Transactions)
            Console.Out.WriteLine($"    tx {t.Hash}  nonce {t.Nonce}  max fee {t.MaxFeePerGas}" +
                (t.Hash == l.ConfirmedBy ? $"  confirmed in block {l.Block}, gas used {l.GasUsed}" : t.Submitted ? "  broadcast" : "  signed"));
        if (l.LastFailure is not null) Console.Out.WriteLine($"    last failure: {l.LastFailure}");
    }
}
