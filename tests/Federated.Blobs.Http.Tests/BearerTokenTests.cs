using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Federated.Blobs.Http.Tests;

public sealed class BearerTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-coordinator-token";
    private TestBlobServer _server = null!;

    public async Task InitializeAsync() => _server = await TestBlobServer.StartAsync(new BlobEndpointOptions { AccessToken = Token });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly byte[] Content = "weights"u8.ToArray();
    private static readonly BlobHash ContentHash = BlobHash.Of(Content);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string? authorization)
    {
        var request = new HttpRequestMessage(method, $"blobs/{ContentHash}");
        if (method == HttpMethod.Put) request.Content = new ByteArrayContent(Content);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return _server.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task A_request_without_the_token_answers_401(string method)
    {
        using var response = await SendAsync(new HttpMethod(method), authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_401_asks_for_a_bearer_token()
    {
        using var response = await SendAsync(HttpMethod.Get, authorization: null);

        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task A_request_with_a_wrong_token_answers_401_without_echoing_either_token()
    {
        using var response = await SendAsync(HttpMethod.Get, "Bearer guessed-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("does not match", detail);
        Assert.DoesNotContain("guessed-token", detail);
        Assert.DoesNotContain(Token, detail);
    }

    [Fact]
    public async Task A_request_with_another_scheme_answers_401()
    {
        using var response = await SendAsync(HttpMethod.Get, "Basic " + Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_put_without_the_token_stores_nothing()
    {
        using var _ = await SendAsync(HttpMethod.Put, authorization: null);

        Assert.Empty(_server.FilesInStore());
    }

    [Fact]
    public async Task A_put_with_the_token_is_stored()
    {
        using var response = await SendAsync(HttpMethod.Put, "Bearer " + Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task The_client_with_the_token_round_trips()
    {
        using var client = _server.Client(token: Token);

        var hash = await client.PutAsync(Content);

        Assert.Equal(Content, await client.GetAsync(hash));
    }

    [Fact]
    public async Task The_client_without_the_token_fails_at_once_naming_the_401()
    {
        using var client = _server.Client(token: null, maxAttempts: 5);

        var error = await Assert.ThrowsAsync<BlobStoreException>(() => client.GetAsync(ContentHash));

        Assert.Contains($"GET {client.UrlOf(ContentHash)} answered 401 Unauthorized", error.Message);
    }
}
