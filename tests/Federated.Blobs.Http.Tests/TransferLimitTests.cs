using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Federated.Blobs.Http.Tests;

/// <summary>The server caps transfers in progress (503 with Retry-After beyond the cap) and the client waits as told.</summary>
public sealed class TransferLimitTests : IAsyncLifetime
{
    private static readonly byte[] Blob = LeaseAccessTests.Bytes(2000, 7);
    private TestBlobServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestBlobServer.StartAsync(new BlobEndpointOptions { MaxConcurrentTransfers = 1 });
        await _server.Store.PutAsync(Blob);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Starts an upload whose body stalls after its first chunk, holding the only transfer slot until the
    /// returned socket is closed.</summary>
    private async Task<TcpClient> StartStalledUploadAsync()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(_server.Server.BaseAddress.Host, _server.Server.BaseAddress.Port);
        var head = $"PUT /blobs/{BlobHash.Of("never finished"u8)} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n";
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        return socket;
    }

    /// <summary>GETs until the server answers 503 (the stalled upload has its slot), at most a few seconds.</summary>
    private async Task<HttpResponseMessage> FirstBusyAnswerAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await _server.Http.GetAsync($"blobs/{BlobHash.Of(Blob)}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable || clock.Elapsed > TimeSpan.FromSeconds(10)) return response;
            response.Dispose();
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_transfer_beyond_the_cap_is_answered_503_with_Retry_After()
    {
        using var stalled = await StartStalledUploadAsync();

        using var response = await FirstBusyAnswerAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(BlobProblems.Busy, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_slot_is_free_again_once_the_transfer_holding_it_ends()
    {
        using (var stalled = await StartStalledUploadAsync())
        {
            using var busy = await FirstBusyAnswerAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        }

        using var client = _server.Client(maxAttempts: 10);
        Assert.Equal(Blob, await client.GetAsync(BlobHash.Of(Blob)));
    }

    [Fact]
    public async Task The_client_waits_out_Retry_After_before_trying_again()
    {
        // Three tries 50 and 100 ms apart would all land inside the 1.5 s the slot is held; waiting the 1 s the
        // server asks for, the third try finds it free.
        var stalled = await StartStalledUploadAsync();
        using (var busy = await FirstBusyAnswerAsync()) Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        _ = Task.Delay(1500).ContinueWith(_ => stalled.Dispose(), TaskScheduler.Default);
        using var client = _server.Client(maxAttempts: 3);

        var clock = Stopwatch.StartNew();
        var bytes = await client.GetAsync(BlobHash.Of(Blob));

        Assert.Equal(Blob, bytes);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"the client came back after {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_client_queues_behind_a_busy_server_longer_than_its_tries_would_last()
    {
        // Two tries, and the slot is held for 3.5 s: busy answers (Retry-After) do not use up the tries.
        var stalled = await StartStalledUploadAsync();
        using (var busy = await FirstBusyAnswerAsync()) Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        _ = Task.Delay(3500).ContinueWith(_ => stalled.Dispose(), TaskScheduler.Default);
        using var client = _server.Client(maxAttempts: 2);

        Assert.Equal(Blob, await client.GetAsync(BlobHash.Of(Blob)));
    }
}
