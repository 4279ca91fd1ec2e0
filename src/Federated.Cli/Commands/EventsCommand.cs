using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Cli.Embedded;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Sqlite;

namespace Federated.Cli.Commands;

/// <summary>`fed events`: the event log, oldest first, optionally one run only.</summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var run = new Option<string?>("--run") { Description = "Only this run's events (its id, as `fed demo` prints it)" };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many events (0 = all)", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json("the events");
        var command = new Command("events", "List the events of the log") { dataDir, run, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            var data = DataDirectory.At(parse.GetValue(dataDir));
            if (!data.HasEventLog)
            {
                Console.Error.WriteLine($"error: no event log at {data.EventsDb}");
                return ExitCodes.BadInput;
            }
            var runId = parse.GetValue(run);
            var max = parse.GetValue(limit);
            try
            {
                using var store = new SqliteEventStore(data.EventsDb);
                var events = runId is null
                    ? store.ReadAllAsync(0, max > 0 ? max : int.MaxValue, ct)
                    : store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, max > 0 ? max : int.MaxValue, ct);
                var array = new JsonArray();
                var count = 0;
                await foreach (var e in events)
                {
                    count++;
                    if (parse.GetValue(json)) array.Add(ToJson(e));
                    else Console.Out.WriteLine(Line(e));
                }
                if (parse.GetValue(json)) Console.Out.WriteLine(array.ToJsonString());
                else if (count == 0) Console.Error.WriteLine(runId is null ? "the log is empty" : $"no events for run {runId}");
                return ExitCodes.Ok;
            }
            catch (EventStoreException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static string Line(RecordedEvent e)
    {
        var data = Encoding.UTF8.GetString(e.Data);
        if (data.Length > 140) data = data[..137] + "...";
        return string.Create(CultureInfo.InvariantCulture,
            $"{e.GlobalPosition,6}  {e.RecordedAt.UtcDateTime:HH:mm:ss.fff}  {e.StreamId}@{e.StreamVersion}  {e.EventType,-20} {data}");
    }

    private static JsonObject ToJson(RecordedEvent e)
    {
        JsonNode? data;
        try { data = JsonNode.Parse(e.Data); }
        catch (JsonException) { data = JsonValue.Create(Convert.ToBase64String(e.Data)); }
        return new JsonObject
        {
            ["position"] = e.GlobalPosition,
            ["stream"] = e.StreamId,
            ["version"] = e.StreamVersion,
            ["type"] = e.EventType,
            ["eventId"] = e.EventId.ToString(),
            ["recordedAt"] = e.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
            ["hash"] = Convert.ToHexStringLower(e.Hash),
            ["data"] = data,
        };
    }
}
