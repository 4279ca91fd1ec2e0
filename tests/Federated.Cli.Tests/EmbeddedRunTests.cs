using Federated.Blobs;
using Federated.Cli.Embedded;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Verification;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Sqlite;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Cli.Tests;

/// <summary>End to end on the embedded default: coordinator and 2 workers over MassTransit's in-memory
/// transport, SQLite event log, blob directory; 3 rounds.</summary>
public sealed class EmbeddedRunTests
{
    private static RunSpec Spec(ulong seed) => new()
    {
        Name = "e2e",
        Seed = seed,
        Model = new ModelSpec("gpt", new Dictionary<string, int> { ["context"] = 8, ["layers"] = 1, ["heads"] = 2, ["width"] = 16 }),
        Rounds = 3,
        Workers = 2,
        ShardsPerRound = 2,
        ShardTokens = 8192,
        LocalSteps = 40,
        BatchSize = 16,
        LearningRate = 3e-3f,
        EvalTokens = 4096,
    };

    private static async Task<RunOutcome> RunAsync(TempDir dir, ulong seed = 5)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await EmbeddedRun.ExecuteAsync(Spec(seed), null, DataDirectory.At(dir.File("data")), 2, null, TextWriter.Null, timeout.Token);
    }

    private static async Task<List<object>> EventsAsync(TempDir dir, string runId)
    {
        using var store = new SqliteEventStore(DataDirectory.At(dir.File("data")).EventsDb);
        var events = new List<object>();
        await foreach (var e in store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue))
            events.Add(RunEventCodec.Decode(e));
        return events;
    }

    [Fact]
    public async Task Two_workers_three_rounds_complete_with_falling_validation_loss()
    {
        using var dir = new TempDir();

        var outcome = await RunAsync(dir);

        Assert.Equal(("completed", 3, 6), (outcome.Status, outcome.Rounds, outcome.AcceptedUpdates));
        Assert.True(outcome.FinalValidationLoss < outcome.InitialValidationLoss,
            $"validation loss went from {outcome.InitialValidationLoss} to {outcome.FinalValidationLoss}");
    }

    [Fact]
    public async Task Every_accepted_update_is_in_the_log_exactly_once_and_aggregated_once()
    {
        using var dir = new TempDir();
        var outcome = await RunAsync(dir);

        var events = await EventsAsync(dir, outcome.RunId);

        var accepted = events.OfType<UpdateAccepted>().Select(a => a.UpdateHash).ToList();
        var aggregated = events.OfType<RoundAggregated>().SelectMany(r => r.AggregatedUpdates).Select(u => u.UpdateHash).ToList();
        Assert.Equal(outcome.AcceptedUpdates, accepted.Distinct().Count());
        Assert.Equal(accepted.Order(), aggregated.Order());
    }

    [Fact]
    public async Task Replaying_the_log_reproduces_every_model_and_the_ledger()
    {
        using var dir = new TempDir();
        var outcome = await RunAsync(dir);
        var data = DataDirectory.At(dir.File("data"));

        using var store = new SqliteEventStore(data.EventsDb);
        var report = await new RunVerifier(store, new DirectoryBlobStore(data.Blobs)).VerifyAsync();

        Assert.True(report.IsValid, report.Failure?.ToString());
        Assert.Equal(3, report.RoundsReplayed);
        Assert.Equal(outcome.AcceptedUpdates, report.Ledger.Lines.Sum(l => l.Accepted));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_final_model_bytes()
    {
        using var first = new TempDir();
        using var second = new TempDir();

        var a = await RunAsync(first, seed: 8);
        var b = await RunAsync(second, seed: 8);

        Assert.Equal(a.FinalModelHash, b.FinalModelHash);
        Assert.Equal(await File.ReadAllBytesAsync(a.Checkpoint), await File.ReadAllBytesAsync(b.Checkpoint));
    }
}
