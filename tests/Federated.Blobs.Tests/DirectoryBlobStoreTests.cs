using System.Text;

namespace Federated.Blobs.Tests;

public sealed class DirectoryBlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fed-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly DirectoryBlobStore _store;

    public DirectoryBlobStoreTests() => _store = new DirectoryBlobStore(_root, maxBlobBytes: 1024);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private string[] FilesInStore() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task A_stored_blob_comes_back_byte_for_byte()
    {
        var content = Bytes("shard 7 of round 3");

        var hash = await _store.PutAsync(content);

        Assert.Equal(content, await _store.GetAsync(hash));
    }

    [Fact]
    public async Task Put_returns_the_SHA_256_of_the_content()
    {
        var hash = await _store.PutAsync(Bytes("abc"));

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash.Hex);
    }

    [Fact]
    public async Task A_blob_lives_under_a_folder_named_for_its_first_two_hex_characters()
    {
        var hash = await _store.PutAsync(Bytes("abc"));

        Assert.Equal(Path.Combine(_root, "ba", hash.Hex), _store.PathOf(hash));
    }

    [Fact]
    public async Task An_empty_blob_round_trips()
    {
        var hash = await _store.PutAsync(ReadOnlyMemory<byte>.Empty);

        Assert.Empty(await _store.GetAsync(hash));
    }

    [Fact]
    public async Task Putting_the_same_bytes_twice_gives_the_same_hash()
    {
        var first = await _store.PutAsync(Bytes("base model"));
        var second = await _store.PutAsync(Bytes("base model"));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Putting_the_same_bytes_twice_leaves_one_file_and_no_temporary_files()
    {
        await _store.PutAsync(Bytes("base model"));
        await _store.PutAsync(Bytes("base model"));

        Assert.Single(FilesInStore());
    }

    [Fact]
    public async Task Exists_is_true_for_a_stored_blob()
    {
        var hash = await _store.PutAsync(Bytes("update"));

        Assert.True(await _store.ExistsAsync(hash));
    }

    [Fact]
    public async Task Exists_is_false_for_a_blob_never_stored() =>
        Assert.False(await _store.ExistsAsync(BlobHash.Of(Bytes("never stored"))));

    [Fact]
    public async Task Getting_a_missing_blob_throws_not_found_naming_the_hash()
    {
        var missing = BlobHash.Of(Bytes("never stored"));

        var error = await Assert.ThrowsAsync<BlobNotFoundException>(() => _store.GetAsync(missing));

        Assert.Equal(missing, error.Hash);
    }

    [Fact]
    public async Task A_file_with_a_flipped_byte_is_reported_corrupted()
    {
        var hash = await _store.PutAsync(Bytes("weights that must not change"));
        var path = _store.PathOf(hash);
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[5] ^= 0x01;
        await File.WriteAllBytesAsync(path, onDisk);

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.GetAsync(hash));

        Assert.Equal(hash, error.Hash);
    }

    [Fact]
    public async Task Putting_the_bytes_again_repairs_a_damaged_copy_of_the_same_length()
    {
        var content = Bytes("weights that must not change");
        var hash = await _store.PutAsync(content);
        var path = _store.PathOf(hash);
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[5] ^= 0x01;
        await File.WriteAllBytesAsync(path, onDisk);

        await _store.PutAsync(content);

        Assert.Equal(content, await _store.GetAsync(hash));
    }

    [Fact]
    public async Task A_truncated_file_is_reported_corrupted()
    {
        var hash = await _store.PutAsync(Bytes("weights that must not change"));
        var path = _store.PathOf(hash);
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(path))[..^1]);

        await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.GetAsync(hash));
    }

    [Fact]
    public async Task A_file_grown_over_the_limit_is_reported_corrupted()
    {
        var hash = await _store.PutAsync(Bytes("small"));
        await File.WriteAllBytesAsync(_store.PathOf(hash), new byte[2048]);

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.GetAsync(hash));

        Assert.Contains("over the limit of 1024", error.Message);
    }

    [Fact]
    public async Task A_blob_over_the_limit_is_refused_naming_size_and_limit()
    {
        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => _store.PutAsync(new byte[1025]));

        Assert.Equal("blob of 1025 bytes exceeds the store's limit of 1024 bytes", error.Message);
    }

    [Fact]
    public async Task A_blob_over_the_limit_leaves_nothing_in_the_store()
    {
        await Assert.ThrowsAsync<BlobTooLargeException>(() => _store.PutAsync(new byte[1025]));

        Assert.Empty(FilesInStore());
    }

    [Fact]
    public async Task A_blob_exactly_at_the_limit_is_stored()
    {
        var hash = await _store.PutAsync(new byte[1024]);

        Assert.True(await _store.ExistsAsync(hash));
    }

    [Fact]
    public async Task A_second_store_on_the_same_folder_reads_what_the_first_wrote()
    {
        var hash = await _store.PutAsync(Bytes("survives a restart"));

        Assert.Equal(Bytes("survives a restart"), await new DirectoryBlobStore(_root).GetAsync(hash));
    }
}
