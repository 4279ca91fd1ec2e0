namespace Federated.Blobs.Http.Tests;

/// <summary>The client checks what it downloads itself: a faulty server can refuse a blob but never hand over a wrong one.</summary>
public class HttpBlobStoreVerificationTests
{
    private static readonly byte[] Content = "the real weights"u8.ToArray();
    private static readonly BlobHash ContentHash = BlobHash.Of(Content);

    [Fact]
    public async Task Bytes_that_do_not_match_the_hash_throw_corrupted_naming_what_they_hash_to()
    {
        var wrong = "some other bytes"u8.ToArray();
        await using var server = await ScriptedServer.StartAsync((context, _) => context.Response.Body.WriteAsync(wrong).AsTask());
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => client.GetAsync(ContentHash));

        Assert.Equal(ContentHash, error.Hash);
        Assert.Contains($"the server sent {wrong.Length} bytes that hash to {BlobHash.Of(wrong)}", error.Message);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_hash_are_not_retried()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) => context.Response.Body.WriteAsync("other"u8.ToArray()).AsTask());
        using var client = server.Client(maxAttempts: 5);

        await Assert.ThrowsAsync<BlobCorruptedException>(() => client.GetAsync(ContentHash));

        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_declared_length_over_the_clients_limit_is_refused_before_reading()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = 4096;
            await context.Response.Body.WriteAsync(new byte[4096]);
        });
        using var client = server.Client(maxBlobBytes: 1024);

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => client.GetAsync(ContentHash));

        Assert.Contains("the server offers 4096 bytes, over this client's limit of 1024 bytes", error.Message);
    }

    [Fact]
    public async Task A_body_without_length_that_runs_over_the_clients_limit_is_cut_off()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            for (var i = 0; i < 16; i++)
            {
                await context.Response.Body.WriteAsync(new byte[256]);
                await context.Response.Body.FlushAsync();
            }
        });
        using var client = server.Client(maxBlobBytes: 1024);

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => client.GetAsync(ContentHash));

        Assert.Contains("more than this client's limit of 1024 bytes", error.Message);
    }

    [Fact]
    public async Task The_right_bytes_sent_without_a_length_are_accepted()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(Content.AsMemory(0, 5));
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(Content.AsMemory(5));
        });
        using var client = server.Client();

        Assert.Equal(Content, await client.GetAsync(ContentHash));
    }
}
