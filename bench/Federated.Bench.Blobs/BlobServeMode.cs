using Federated.Blobs;
using Federated.Blobs.Http;
#if !BASELINE
using Federated.Blobs.Access;
#endif

namespace Federated.Bench.Blobs;

/// <summary>The server half: a <see cref="BlobServer"/> over a directory, configured as `fed coordinator` configures it.
/// Leases "lease-i" (i &lt; count) each read blob i and upload one blob of at most the blob size; their tokens are made
/// from a fixed bench secret, which the load half shares.</summary>
internal static class BlobServeMode
{
    public static readonly byte[] Secret = Enumerable.Repeat((byte)7, 32).ToArray();

    public static async Task<int> RunAsync(string directory, string url)
    {
        var store = new DirectoryBlobStore(directory);
#if BASELINE
        // The code before lease access: the coordinator served its store to anyone.
        var options = new BlobEndpointOptions();
#else
        var count = int.Parse(Environment.GetEnvironmentVariable("BENCH_COUNT")!);
        var bytes = long.Parse(Environment.GetEnvironmentVariable("BENCH_BYTES")!);
        var options = new BlobEndpointOptions { LeaseAccess = new BlobLeaseAccess(new BlobLeaseTokens(Secret), new BenchLeases(count, bytes)) };
#endif
        await using var server = await BlobServer.StartAsync(store, url, options);
        Console.WriteLine($"ready {server.BaseAddress}");
        await Console.In.ReadToEndAsync(); // the load half closes stdin when done
        return 0;
    }

#if !BASELINE
    private sealed class BenchLeases(int count, long bytes) : IBlobLeaseDirectory
    {
        private readonly BlobHash[] _hashes = Enumerable.Range(0, count).Select(i => BenchBlobs.HashOf(i, bytes)).ToArray();

        public BlobLease? FindOpenLease(string runId, string leaseId)
        {
            if (runId != "bench" || !leaseId.StartsWith("lease-", StringComparison.Ordinal) || !int.TryParse(leaseId[6..], out var i) || i < 0 || i >= count)
                return null;
            return new BlobLease(runId, leaseId, $"worker-{i}", new HashSet<BlobHash> { _hashes[i] }, bytes, DateTimeOffset.UtcNow.AddHours(1));
        }
    }
#endif
}
