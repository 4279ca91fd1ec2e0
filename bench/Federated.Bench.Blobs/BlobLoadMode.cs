#if !BASELINE
using System.Diagnostics;
using System.Net.Http.Headers;
using Federated.Blobs;
using Federated.Blobs.Access;

namespace Federated.Bench.Blobs;

/// <summary>
/// The load half: writes <c>count</c> blobs of <c>megabytes</c> MB into a fresh store, starts the server on it as a
/// child process, then runs <c>count</c> parallel downloads and, after that, <c>count</c> parallel uploads (each its own
/// lease and token), sampling the server's resident set (VmRSS) every 20 ms. Prints the baseline, the peak during each
/// phase and the RSS 5 s after it.
/// </summary>
internal static class BlobLoadMode
{
    /// <param name="serverDll">The bench build that serves (another tree's, for a baseline); default this one.</param>
    public static async Task<int> RunAsync(int count, int megabytes, string? serverDll)
    {
        var bytes = megabytes * 1_000_000L;
        var root = Path.Combine(Path.GetTempPath(), "fed-blob-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var store = new DirectoryBlobStore(root);
            for (var i = 0; i < count; i++)
            {
                using var blob = BenchBlobs.Open(i, bytes);
                await store.PutAsync(blob, BenchBlobs.HashOf(i, bytes), long.MaxValue);
            }
            var url = $"http://127.0.0.1:{FreePort()}";
            using var server = StartServer(serverDll ?? typeof(BlobLoadMode).Assembly.Location, root, url, count, bytes);
            await server.StandardOutput.ReadLineAsync(); // "ready ..."

            var tokens = new BlobLeaseTokens(BlobServeMode.Secret);
            using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromMinutes(10) };
            string TokenOf(int i) => tokens.Issue("bench", BenchBlobs.LeaseId(i), $"worker-{i}");
            HttpRequestMessage Request(HttpMethod method, BlobHash hash, int i)
            {
                var request = new HttpRequestMessage(method, $"blobs/{hash}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenOf(i)); // ignored by the baseline
                return request;
            }

            await Task.Delay(1000);
            var baseline = RssMegabytes(server.Id);
            Console.WriteLine($"server pid {server.Id}: {count} x {megabytes} MB, baseline RSS {baseline:0} MB");

            var downloads = await MeasureAsync(server.Id, "downloads", Enumerable.Range(0, count).Select(async i =>
            {
                using var response = await http.SendAsync(Request(HttpMethod.Get, BenchBlobs.HashOf(i, bytes), i), HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0) total += read;
                if (total != bytes) throw new InvalidOperationException($"download {i} got {total} bytes");
            }));
            var uploads = await MeasureAsync(server.Id, "uploads", Enumerable.Range(0, count).Select(async i =>
            {
                var index = count + i;
                using var request = Request(HttpMethod.Put, BenchBlobs.HashOf(index, bytes), i);
                request.Content = new StreamContent(BenchBlobs.Open(index, bytes), 1 << 16);
                request.Content.Headers.ContentLength = bytes;
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"upload {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }));

            Console.WriteLine($"| phase | baseline RSS | peak RSS | growth | RSS 5 s after |");
            Console.WriteLine($"|---|---|---|---|---|");
            foreach (var (phase, peak, after) in new[] { downloads, uploads })
                Console.WriteLine($"| {count} parallel {phase} of {megabytes} MB | {baseline:0} MB | {peak:0} MB | {peak - baseline:0} MB | {after:0} MB |");
            server.StandardInput.Close();
            await server.WaitForExitAsync();
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(string Phase, double Peak, double After)> MeasureAsync(int pid, string phase, IEnumerable<Task> transfers)
    {
        var peak = RssMegabytes(pid);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMegabytes(pid));
                await Task.Delay(20);
            }
        });
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(transfers.ToList());
        var took = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        await Task.Delay(5000);
        var after = RssMegabytes(pid);
        Console.WriteLine($"{phase}: {took.TotalSeconds:0.0} s, peak RSS {peak:0} MB, 5 s later {after:0} MB");
        return (phase, peak, after);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Process StartServer(string serverDll, string root, string url, int count, long bytes)
    {
        var start = new ProcessStartInfo("dotnet", [serverDll, "serve", root, url])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        start.Environment["BENCH_COUNT"] = count.ToString();
        start.Environment["BENCH_BYTES"] = bytes.ToString();
        return Process.Start(start)!;
    }

    private static double RssMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }
}
#endif
