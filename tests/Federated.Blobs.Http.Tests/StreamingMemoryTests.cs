using System.Net;
using System.Security.Cryptography;

namespace Federated.Blobs.Http.Tests;

[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;

/// <summary>
/// Bodies stream through the server: moving a 64 MiB blob allocates a small fraction of it (buffers), never the blob.
/// Measured as bytes allocated by the whole process during the transfer (client and server share it; the client here
/// sends from one array and reads into a 64 KiB buffer), in a collection that runs alone so no other test's
/// allocations count.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class StreamingMemoryTests : IAsyncLifetime
{
    private const int BlobBytes = 64 << 20;
    private const long AllowedBytes = 16 << 20;
    private static readonly byte[] Blob = RandomNumberGenerator.GetBytes(BlobBytes);
    private TestBlobServer _server = null!;

    public async Task InitializeAsync() => _server = await TestBlobServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_upload_of_64_MiB_allocates_less_than_16_MiB()
    {
        var hash = BlobHash.Of(Blob);
        await WarmUpAsync();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await _server.Http.PutAsync($"blobs/{hash}", new ReadOnlyMemoryContent(Blob)))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(allocated < AllowedBytes, $"uploading {BlobBytes} bytes allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_download_of_64_MiB_allocates_less_than_16_MiB()
    {
        var hash = await _server.Store.PutAsync(Blob);
        await WarmUpAsync();
        var buffer = new byte[64 * 1024];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await _server.Http.GetAsync($"blobs/{hash}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) sha256.AppendData(buffer, 0, read);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(hash.Hex, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        Assert.True(allocated < AllowedBytes, $"downloading {BlobBytes} bytes allocated {allocated} bytes");
    }

    /// <summary>One small round trip first, so connection set-up and JIT are not counted as the transfer's.</summary>
    private async Task WarmUpAsync()
    {
        var small = "warm"u8.ToArray();
        using var put = await _server.Http.PutAsync($"blobs/{BlobHash.Of(small)}", new ByteArrayContent(small));
        using var get = await _server.Http.GetAsync($"blobs/{BlobHash.Of(small)}");
        await get.Content.ReadAsByteArrayAsync();
    }
}
