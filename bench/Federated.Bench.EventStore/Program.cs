using System.Globalization;
using Federated.Bench.EventStore;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.EventStore.Sqlite;
using Federated.EventStore.Verification;

// Event store throughput, SQLite vs PostgreSQL, on this machine (never a timed test). Durable settings on both:
// SQLite WAL + synchronous=FULL, PostgreSQL fsync=on + synchronous_commit=on, on a private server it starts itself.
//   dotnet run -c Release --project bench/Federated.Bench.EventStore -- [--quick]
var quick = args.Contains("--quick");
var singles = quick ? 500 : 3000;
var batched = quick ? 10_000 : 100_000;
var replayed = quick ? 20_000 : 100_000;

await using var postgres = PrivatePostgres.Start();
var rows = new List<(string Measure, string Sqlite, string Postgres)>();

async Task MeasureAsync(string measure, Func<IEventStore, Task<double>> run)
{
    var sqlite = await OnSqliteAsync(run);
    var pg = await OnPostgresAsync(run);
    rows.Add((measure, Rate(sqlite), Rate(pg)));
}

await MeasureAsync("single appends/s, 1 writer", s => StoreBench.SingleAppendsPerSecondAsync(s, 1, singles));
await MeasureAsync("single appends/s, 16 writers", s => StoreBench.SingleAppendsPerSecondAsync(s, 16, singles * 4));
await MeasureAsync("single appends/s, 64 writers", s => StoreBench.SingleAppendsPerSecondAsync(s, 64, singles * 8));
await MeasureAsync("batched appends/s (100/batch)", s => StoreBench.BatchedAppendsPerSecondAsync(s, 100, batched));
await MeasureAsync("batched appends/s (1000/batch)", s => StoreBench.BatchedAppendsPerSecondAsync(s, 1000, batched));
await MeasureAsync($"replay {replayed / 1000}k events/s (pages of 1000)", async s =>
{
    await StoreBench.BatchedAppendsPerSecondAsync(s, 1000, replayed);
    return await StoreBench.ReplayEventsPerSecondAsync(s, 1000);
});
await MeasureAsync($"verify {replayed / 1000}k events/s (hash chain)", async s =>
{
    await StoreBench.BatchedAppendsPerSecondAsync(s, 1000, replayed);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var result = await new EventLogVerifier(s).VerifyAsync();
    return result.IsValid ? result.EventsVerified / clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"chain broken: {result.Failure}");
});

Console.WriteLine($"{"measure",-40} {"SQLite",12} {"PostgreSQL",12}");
foreach (var (measure, sqlite, pg) in rows)
{
    Console.WriteLine($"{measure,-40} {sqlite,12} {pg,12}");
}

return 0;

static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

static async Task<double> OnSqliteAsync(Func<IEventStore, Task<double>> run)
{
    var path = Path.Combine(Path.GetTempPath(), $"fed-bench-{Guid.NewGuid():N}.db");
    try
    {
        using var store = new SqliteEventStore(path);
        return await run(store);
    }
    finally
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}

async Task<double> OnPostgresAsync(Func<IEventStore, Task<double>> run)
{
    var schema = $"bench_{Guid.NewGuid():N}";
    await using var store = await PostgresEventStore.OpenAsync(postgres.ConnectionString, new PostgresStoreOptions { Schema = schema });
    return await run(store);
}
