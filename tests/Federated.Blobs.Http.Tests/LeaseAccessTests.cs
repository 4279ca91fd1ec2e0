using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Federated.Blobs.Access;

namespace Federated.Blobs.Http.Tests;

/// <summary>The coordinator's blob server as workers reach it: only with the token of a lease they hold, only for
/// the blobs that lease names, uploads no larger than the run's update.</summary>
public sealed class LeaseAccessTests : IAsyncLifetime
{
    private const long UpdateBytes = 1000;
    private static readonly byte[] Model = Bytes(4000, 1);
    private static readonly byte[] Shard = Bytes(3000, 2);
    private static readonly byte[] Update = Bytes(UpdateBytes, 3);
    private readonly TestLeases _leases = new();
    private TestBlobServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestBlobServer.StartAsync(new BlobEndpointOptions { LeaseAccess = new BlobLeaseAccess(_leases.Tokens, _leases) });
        await _server.Store.PutAsync(Model);
        await _server.Store.PutAsync(Shard);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string OpenLease(string leaseId = "lease-a", string worker = "worker-a", TimeSpan? lifetime = null) =>
        _leases.Open(leaseId, worker, UpdateBytes, lifetime, BlobHash.Of(Model), BlobHash.Of(Shard));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, BlobHash hash, string? token, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, $"blobs/{hash}") { Content = body };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> DetailOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task An_upload_without_a_token_is_refused_with_401_and_stores_nothing()
    {
        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(Update), token: null, new ByteArrayContent(Update));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await _server.Store.ExistsAsync(BlobHash.Of(Update)));
    }

    [Fact]
    public async Task An_upload_with_the_token_of_the_lease_it_holds_is_stored()
    {
        using var client = _server.Client();
        var worker = client.WithCredential(OpenLease());

        var hash = await worker.PutAsync(Update);

        Assert.Equal(Update, await _server.Store.GetAsync(hash));
    }

    [Fact]
    public async Task An_upload_for_an_expired_lease_is_refused_with_403()
    {
        var token = OpenLease(lifetime: TimeSpan.FromMilliseconds(-1));

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(Update), token, new ByteArrayContent(Update));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("lease-a of run run-1, which is not open", await DetailOf(response));
        Assert.False(await _server.Store.ExistsAsync(BlobHash.Of(Update)));
    }

    [Fact]
    public async Task An_upload_for_a_lease_closed_since_its_token_was_issued_is_refused_with_403()
    {
        var token = OpenLease();
        _leases.Close("lease-a");

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(Update), token, new ByteArrayContent(Update));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_for_another_workers_lease_is_refused_with_401()
    {
        OpenLease("lease-a", "worker-a");
        // worker-b holds a lease of its own, and tries to write under worker-a's lease with a token minted for itself.
        OpenLease("lease-b", "worker-b");
        var forged = _leases.Tokens.Issue("run-1", "lease-a", "worker-b");

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(Update), forged, new ByteArrayContent(Update));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("did not issue to its worker", await DetailOf(response));
        Assert.False(await _server.Store.ExistsAsync(BlobHash.Of(Update)));
    }

    [Fact]
    public async Task A_token_made_with_another_secret_is_refused_with_401()
    {
        OpenLease();
        var outsider = new BlobLeaseTokens(new byte[BlobLeaseTokens.SecretBytes]).Issue("run-1", "lease-a", "worker-a");

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(Update), outsider, new ByteArrayContent(Update));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_declared_over_the_leases_update_size_is_refused_with_413()
    {
        var big = Bytes(UpdateBytes + 1, 4);

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(big), OpenLease(), new ByteArrayContent(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"over the limit for lease lease-a (the run's update size) of {UpdateBytes} bytes", await DetailOf(response));
    }

    [Fact]
    public async Task An_upload_over_the_leases_update_size_is_refused_while_it_streams()
    {
        // Over a raw socket: one chunk one byte over the lease's size, then the body stalls (no closing chunk). A server
        // that waited for the whole body (to buffer it) would not answer; one that counts as bytes arrive answers 413 now.
        var token = OpenLease();
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_server.Server.BaseAddress.Host, _server.Server.BaseAddress.Port);
        var stream = socket.GetStream();
        var chunk = Bytes(UpdateBytes + 1, 5);
        var head = $"PUT /blobs/{BlobHash.Of(Update)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(chunk);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();

        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("HTTP/1.1 413 Payload Too Large", statusLine);
        Assert.Equal(2, _server.FilesInStore().Length); // the model and the shard only: no partial upload left behind
    }

    [Fact]
    public async Task Getting_a_shard_without_a_token_is_refused_with_401()
    {
        OpenLease();

        using var response = await SendAsync(HttpMethod.Get, BlobHash.Of(Shard), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Getting_a_blob_the_lease_does_not_name_is_refused_with_403()
    {
        var other = Bytes(500, 6);
        await _server.Store.PutAsync(other);

        using var response = await SendAsync(HttpMethod.Get, BlobHash.Of(other), OpenLease());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("is not one lease lease-a of run run-1 names", await DetailOf(response));
    }

    [Fact]
    public async Task A_worker_downloads_the_blobs_its_lease_names()
    {
        using var client = _server.Client();
        var worker = client.WithCredential(OpenLease());

        Assert.Equal(Model, await worker.GetAsync(BlobHash.Of(Model)));
        Assert.Equal(Shard, await worker.GetAsync(BlobHash.Of(Shard)));
    }

    [Fact]
    public async Task A_lease_stores_at_most_its_quota_of_distinct_blobs()
    {
        var token = OpenLease();
        for (byte i = 0; i < 2; i++)
        {
            var blob = Bytes(100, (byte)(10 + i));
            using var stored = await SendAsync(HttpMethod.Put, BlobHash.Of(blob), token, new ByteArrayContent(blob));
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }
        var third = Bytes(100, 12);

        using var response = await SendAsync(HttpMethod.Put, BlobHash.Of(third), token, new ByteArrayContent(third));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(BlobProblems.QuotaExceeded, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.False(await _server.Store.ExistsAsync(BlobHash.Of(third)));
    }

    [Fact]
    public async Task A_lease_downloads_each_blob_a_bounded_number_of_times()
    {
        var token = OpenLease();
        for (var i = 0; i < new BlobEndpointOptions().MaxDownloadsPerLeaseBlob; i++)
        {
            using var ok = await SendAsync(HttpMethod.Get, BlobHash.Of(Model), token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var response = await SendAsync(HttpMethod.Get, BlobHash.Of(Model), token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(BlobProblems.QuotaExceeded, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_server_without_credentials_refuses_to_listen_beyond_loopback()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BlobServer.StartAsync(_server.Store, "http://0.0.0.0:0"));

        Assert.Contains("without authentication", error.Message);
    }

    internal static byte[] Bytes(long length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(seed * 31 + i * 7);
        return bytes;
    }
}
