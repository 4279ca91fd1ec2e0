using System.Text;

namespace Federated.Blobs.Http.Tests;

/// <summary>The client against the real server over a directory store.</summary>
public sealed class HttpBlobStoreTests : IAsyncLifetime
{
    private TestBlobServer _server = null!;
    private HttpBlobStore _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestBlobServer.StartAsync();
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_blob_put_through_the_client_comes_back_byte_for_byte()
    {
        var content = Bytes("base model for round 1");

        var hash = await _client.PutAsync(content);

        Assert.Equal(content, await _client.GetAsync(hash));
    }

    [Fact]
    public async Task A_blob_put_through_the_client_lands_in_the_servers_store()
    {
        var hash = await _client.PutAsync(Bytes("shard 3"));

        Assert.Equal(Bytes("shard 3"), await _server.Store.GetAsync(hash));
    }

    [Fact]
    public async Task A_multi_megabyte_blob_round_trips()
    {
        var content = new byte[3 << 20];
        new Random(7).NextBytes(content);

        var hash = await _client.PutAsync(content);

        Assert.Equal(content, await _client.GetAsync(hash));
    }

    [Fact]
    public async Task Putting_the_same_blob_twice_gives_the_same_hash_and_one_stored_file()
    {
        var first = await _client.PutAsync(Bytes("update"));
        var second = await _client.PutAsync(Bytes("update"));

        Assert.Equal(first, second);
        Assert.Single(_server.FilesInStore());
    }

    [Fact]
    public async Task Exists_is_true_for_a_stored_blob()
    {
        var hash = await _client.PutAsync(Bytes("update"));

        Assert.True(await _client.ExistsAsync(hash));
    }

    [Fact]
    public async Task Exists_is_false_for_a_missing_blob() =>
        Assert.False(await _client.ExistsAsync(BlobHash.Of(Bytes("never stored"))));

    [Fact]
    public async Task Getting_a_missing_blob_throws_not_found_naming_the_hash()
    {
        var missing = BlobHash.Of(Bytes("never stored"));

        var error = await Assert.ThrowsAsync<BlobNotFoundException>(() => _client.GetAsync(missing));

        Assert.Equal(missing, error.Hash);
        Assert.Contains(_server.Server.BaseAddress.GetLeftPart(UriPartial.Authority), error.Message);
    }

    [Fact]
    public async Task Getting_a_blob_corrupted_on_the_server_throws_corrupted_without_retrying()
    {
        var hash = await _server.Store.PutAsync(Bytes("weights that must not change"));
        var path = _server.Store.PathOf(hash);
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[3] ^= 0x01;
        await File.WriteAllBytesAsync(path, onDisk);

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => _client.GetAsync(hash));

        Assert.Equal(hash, error.Hash);
        Assert.Contains("the server refused to serve it", error.Message);
    }

    [Fact]
    public async Task A_blob_over_the_clients_limit_is_refused_before_sending()
    {
        using var client = _server.Client(maxBlobBytes: 16);

        await Assert.ThrowsAsync<BlobTooLargeException>(() => client.PutAsync(new byte[17]));

        Assert.Empty(_server.FilesInStore());
    }

    [Fact]
    public async Task A_blob_over_the_servers_limit_throws_too_large_naming_the_servers_limit()
    {
        await using var small = await TestBlobServer.StartAsync(new BlobEndpointOptions { MaxBlobBytes = 100 });
        using var client = small.Client();

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => client.PutAsync(new byte[101]));

        Assert.Equal("blob of 101 bytes exceeds the store's limit of 100 bytes", error.Message);
    }

    [Fact]
    public async Task A_blob_over_kestrels_default_body_limit_is_accepted_when_under_ours()
    {
        // Kestrel refuses bodies over 30,000,000 bytes unless told otherwise.
        var content = new byte[31_000_000];
        content[^1] = 1;

        var hash = await _client.PutAsync(content);

        Assert.True(await _server.Store.ExistsAsync(hash));
    }

    [Fact]
    public async Task A_base_address_without_the_blob_routes_fails_with_a_hint()
    {
        using var client = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = new Uri(_server.Server.BaseAddress, "wrong/prefix/") });

        var error = await Assert.ThrowsAsync<BlobStoreException>(() => client.GetAsync(BlobHash.Of(Bytes("x"))));

        Assert.Contains("is the base address right?", error.Message);
    }

    [Fact]
    public void The_url_of_a_blob_keeps_a_path_prefix_of_the_base_address()
    {
        using var client = new HttpBlobStore(new HttpBlobStoreOptions { BaseAddress = new Uri("http://coordinator:5080/fed") });
        var hash = BlobHash.Of(Bytes("abc"));

        Assert.Equal($"http://coordinator:5080/fed/blobs/{hash}", client.UrlOf(hash).ToString());
    }
}
