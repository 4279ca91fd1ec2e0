using System.Diagnostics;
using System.Text;
using Federated.EventStore;

namespace Federated.Bench.EventStore;

/// <summary>The measurements, the same for every backend. Each one runs on a fresh, empty store.</summary>
internal static class StoreBench
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"run":"r-1","round":7,"worker":"w-3","loss":2.3125,"tokens":4096}""");

    /// <summary>Single-event appends, <paramref name="writers"/> callers at once, each to its own stream.</summary>
    public static async Task<double> SingleAppendsPerSecondAsync(IEventStore store, int writers, int total)
    {
        var each = total / writers;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await store.AppendAsync($"bench-{w}", i == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(i - 1), [New()]);
            }
        })));
        return each * writers / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Batches of <paramref name="batchSize"/> events from one caller.</summary>
    public static async Task<double> BatchedAppendsPerSecondAsync(IEventStore store, int batchSize, int total)
    {
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < total / batchSize; b++)
        {
            await store.AppendAsync($"batch-{b % 10}", ExpectedVersion.Any, Enumerable.Range(0, batchSize).Select(_ => New()).ToArray());
        }

        return total / batchSize * batchSize / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Reads the whole log front to back in pages, as a projection rebuild or `fed verify` does.</summary>
    public static async Task<double> ReplayEventsPerSecondAsync(IEventStoreReader store, int pageSize)
    {
        var clock = Stopwatch.StartNew();
        long position = 0, count = 0;
        while (true)
        {
            var page = 0;
            await foreach (var e in store.ReadAllAsync(position, pageSize))
            {
                position = e.GlobalPosition;
                page++;
            }

            count += page;
            if (page < pageSize)
            {
                break;
            }
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static EventData New() => new(Guid.NewGuid(), "ContributionAccepted.V1", Payload);
}
