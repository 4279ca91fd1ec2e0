using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Federated.Blobs.Http.Tests;

/// <summary>The routes as any HTTP client sees them: status codes, problem bodies, and what ends up stored.</summary>
public sealed class BlobEndpointTests : IAsyncLifetime
{
    private const long Limit = 1000;
    private TestBlobServer _server = null!;

    public async Task InitializeAsync() => _server = await TestBlobServer.StartAsync(new BlobEndpointOptions { MaxBlobBytes = Limit });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("round 4 update from worker 2");
    private static readonly BlobHash ContentHash = BlobHash.Of(Content);

    private Task<HttpResponseMessage> PutAsync(string hash, HttpContent body) => _server.Http.PutAsync($"blobs/{hash}", body);

    private static ByteArrayContent Body(byte[] bytes) => new(bytes);

    /// <summary>A body sent chunked, with no Content-Length, so the server only learns its size by reading it.</summary>
    private static StreamContent ChunkedBody(byte[] bytes)
    {
        var content = new StreamContent(new UnknownLengthStream(bytes));
        Assert.Null(content.Headers.ContentLength);
        return content;
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    private string CorruptStoredCopy(BlobHash hash)
    {
        var path = _server.Store.PathOf(hash);
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0x80;
        File.WriteAllBytes(path, bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public async Task Putting_a_new_blob_answers_201_with_its_location()
    {
        using var response = await PutAsync(ContentHash.Hex, Body(Content));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/blobs/{ContentHash}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Putting_a_new_blob_stores_it()
    {
        using var _ = await PutAsync(ContentHash.Hex, Body(Content));

        Assert.Equal(Content, await _server.Store.GetAsync(ContentHash));
    }

    [Fact]
    public async Task Putting_a_blob_already_present_answers_200()
    {
        using var first = await PutAsync(ContentHash.Hex, Body(Content));
        using var second = await PutAsync(ContentHash.Hex, Body(Content));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Putting_bytes_that_hash_differently_answers_400_naming_both_hashes()
    {
        var claimed = BlobHash.Of("something else"u8);

        using var response = await PutAsync(claimed.Hex, Body(Content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await ProblemOf(response)).GetProperty("detail").GetString();
        Assert.Equal($"upload for blob {claimed} ({Content.Length} bytes) hashes to {ContentHash}; nothing was stored", detail);
    }

    [Fact]
    public async Task Putting_bytes_that_hash_differently_stores_nothing()
    {
        using var _ = await PutAsync(BlobHash.Of("something else"u8).Hex, Body(Content));

        Assert.Empty(_server.FilesInStore());
    }

    [Fact]
    public async Task Putting_a_body_declared_over_the_limit_answers_413_naming_size_and_limit()
    {
        var big = new byte[Limit + 1];

        using var response = await PutAsync(BlobHash.Of(big).Hex, Body(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.Contains($"declares {Limit + 1} bytes, over the server's limit of {Limit} bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(Limit, problem.GetProperty(BlobProblems.LimitExtension).GetInt64());
    }

    [Fact]
    public async Task Putting_a_chunked_body_that_runs_over_the_limit_answers_413()
    {
        var big = new byte[5 * Limit];

        using var response = await PutAsync(BlobHash.Of(big).Hex, ChunkedBody(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"sent more than the server's limit of {Limit} bytes", (await ProblemOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Putting_a_chunked_body_that_runs_over_the_limit_stores_nothing()
    {
        var big = new byte[5 * Limit];

        using var _ = await PutAsync(BlobHash.Of(big).Hex, ChunkedBody(big));

        Assert.Empty(_server.FilesInStore());
    }

    [Fact]
    public async Task A_client_sending_more_than_its_Content_Length_gets_only_the_declared_bytes_read_and_nothing_stored()
    {
        // Over a raw socket, since HttpClient will not send a body that disagrees with its Content-Length.
        var big = new byte[5 * Limit];
        Random.Shared.NextBytes(big);
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_server.Server.BaseAddress.Host, _server.Server.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = $"PUT /blobs/{BlobHash.Of(big)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(big);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();

        Assert.Equal("HTTP/1.1 400 Bad Request", statusLine);
        Assert.Empty(_server.FilesInStore());
    }

    [Fact]
    public async Task Putting_a_chunked_body_of_exactly_the_limit_is_stored()
    {
        var atLimit = new byte[Limit];
        Random.Shared.NextBytes(atLimit);

        using var response = await PutAsync(BlobHash.Of(atLimit).Hex, ChunkedBody(atLimit));

        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015zz")]
    public async Task Putting_to_a_malformed_hash_answers_400_saying_what_is_wrong(string hash)
    {
        using var response = await PutAsync(hash, Body(Content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.Equal(BlobProblems.MalformedHash, problem.GetProperty("type").GetString());
        Assert.Contains("blob hash", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Getting_from_a_malformed_hash_answers_400()
    {
        using var response = await _server.Http.GetAsync("blobs/not-a-hash");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Head_of_a_malformed_hash_answers_400()
    {
        using var response = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "blobs/not-a-hash"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Getting_a_stored_blob_answers_its_bytes_as_octet_stream()
    {
        await _server.Store.PutAsync(Content);

        using var response = await _server.Http.GetAsync($"blobs/{ContentHash}");

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Getting_a_missing_blob_answers_404_naming_the_hash()
    {
        using var response = await _server.Http.GetAsync($"blobs/{ContentHash}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"blob {ContentHash} is not in the server's store", (await ProblemOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Getting_a_corrupted_blob_answers_500_naming_the_hash()
    {
        await _server.Store.PutAsync(Content);
        CorruptStoredCopy(ContentHash);

        using var response = await _server.Http.GetAsync($"blobs/{ContentHash}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.Equal(BlobProblems.Corrupted, problem.GetProperty("type").GetString());
        Assert.StartsWith($"blob {ContentHash} is corrupted in the server's store", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Getting_a_corrupted_blob_never_sends_its_bytes()
    {
        await _server.Store.PutAsync(Content);
        var corrupted = CorruptStoredCopy(ContentHash);

        using var response = await _server.Http.GetAsync($"blobs/{ContentHash}");

        Assert.DoesNotContain(corrupted[1..], await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_of_a_stored_blob_answers_200()
    {
        await _server.Store.PutAsync(Content);

        using var response = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"blobs/{ContentHash}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Head_of_a_missing_blob_answers_404()
    {
        using var response = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"blobs/{ContentHash}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>A readable stream that will not tell its length, so HttpClient must send it chunked.</summary>
internal sealed class UnknownLengthStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    // Small reads, so the body arrives as many chunks.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 256));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
