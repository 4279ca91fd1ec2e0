using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Federated.Blobs.Http.Tests;

/// <summary>Transient failures (nothing listening, 5xx) are retried a bounded number of times, then reported.</summary>
public class HttpBlobStoreRetryTests
{
    private static readonly byte[] Content = "update from a worker that started first"u8.ToArray();

    [Fact]
    public async Task A_put_succeeds_when_the_server_starts_a_second_after_the_first_attempt()
    {
        var port = TestBlobServer.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var client = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = address }); // default retries: 5 tries over about 3 s

        var put = client.PutAsync(Content);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var server = await TestBlobServer.StartAsync(listenUrl: address.ToString());
        var hash = await put;

        Assert.True(await server.Store.ExistsAsync(hash));
    }

    [Fact]
    public async Task A_client_gives_up_after_its_bounded_tries_naming_url_attempts_and_cause()
    {
        var address = new Uri($"http://127.0.0.1:{TestBlobServer.FreePort()}/");
        using var client = new HttpBlobStore(new HttpBlobStoreOptions
        {
            BaseAddress = address,
            MaxAttempts = 3,
            FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        var hash = BlobHash.Of(Content);

        var error = await Assert.ThrowsAsync<BlobServerUnavailableException>(() => client.GetAsync(hash));

        Assert.Equal(3, error.Attempts);
        Assert.StartsWith($"GET {client.UrlOf(hash)} gave up after 3 attempts over ", error.Message);
        Assert.Contains("refused", error.Message);
    }

    [Fact]
    public async Task The_default_retries_give_up_within_a_few_seconds()
    {
        using var client = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = new Uri($"http://127.0.0.1:{TestBlobServer.FreePort()}/") });
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BlobServerUnavailableException>(() => client.ExistsAsync(BlobHash.Of(Content)));

        Assert.Equal(5, error.Attempts);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_server_answering_503_is_retried_until_the_tries_run_out()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        using var client = server.Client(maxAttempts: 4);

        var error = await Assert.ThrowsAsync<BlobServerUnavailableException>(() => client.PutAsync(Content));

        Assert.Equal(4, server.Requests);
        Assert.Contains("answered 503 Service Unavailable", error.Message);
    }

    [Fact]
    public async Task A_server_that_recovers_after_two_503s_serves_the_blob()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, request) =>
        {
            if (request <= 2)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            await context.Response.Body.WriteAsync(Content);
        });
        using var client = server.Client(maxAttempts: 3);

        Assert.Equal(Content, await client.GetAsync(BlobHash.Of(Content)));
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });
        using var client = server.Client(maxAttempts: 5);

        await Assert.ThrowsAsync<BlobStoreException>(() => client.GetAsync(BlobHash.Of(Content)));

        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Cancelling_stops_the_retries_at_once()
    {
        using var client = new HttpBlobStore(new HttpBlobStoreOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{TestBlobServer.FreePort()}/"),
            MaxAttempts = 100,
            FirstRetryDelay = TimeSpan.FromSeconds(1),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(BlobHash.Of(Content), cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_attempt_that_outlives_its_timeout_counts_as_a_failed_try()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var client = new HttpBlobStore(new HttpBlobStoreOptions
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromMilliseconds(200),
            MaxAttempts = 2,
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var error = await Assert.ThrowsAsync<BlobServerUnavailableException>(() => client.GetAsync(BlobHash.Of(Content)));

        Assert.Contains("no complete answer within 0.2 s", error.Message);
    }
}
