using System.Text;

namespace Federated.Blobs.Tests;

/// <summary>The streaming half of <see cref="DirectoryBlobStore"/> that the blob server uses.</summary>
public sealed class DirectoryBlobStoreStreamingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fed-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly DirectoryBlobStore _store;

    public DirectoryBlobStoreStreamingTests() => _store = new DirectoryBlobStore(_root, maxBlobBytes: 1024);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static MemoryStream StreamOf(string text) => new(Encoding.UTF8.GetBytes(text));

    private string[] FilesInStore() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task A_streamed_blob_comes_back_byte_for_byte()
    {
        var hash = BlobHash.Of("an update"u8);

        await _store.PutAsync(StreamOf("an update"), hash, maxBytes: 100);

        await using var read = await _store.OpenReadAsync(hash);
        Assert.Equal("an update", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task A_stream_over_its_cap_is_refused_and_leaves_no_file()
    {
        var text = new string('x', 101);

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => _store.PutAsync(StreamOf(text), BlobHash.Of(Encoding.UTF8.GetBytes(text)), maxBytes: 100));

        Assert.Equal(100, error.Limit);
        Assert.Empty(FilesInStore());
    }

    [Fact]
    public async Task A_stream_that_hashes_differently_is_refused_naming_both_hashes_and_leaves_no_file()
    {
        var claimed = BlobHash.Of("something else"u8);

        var error = await Assert.ThrowsAsync<BlobHashMismatchException>(() => _store.PutAsync(StreamOf("an update"), claimed, maxBytes: 100));

        Assert.Contains(claimed.Hex, error.Message);
        Assert.Contains(BlobHash.Of("an update"u8).Hex, error.Message);
        Assert.Empty(FilesInStore());
    }

    [Fact]
    public async Task Opening_a_corrupted_blob_is_refused()
    {
        var hash = await _store.PutAsync("the model"u8.ToArray());
        await File.WriteAllTextAsync(_store.PathOf(hash), "tampered");

        await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.OpenReadAsync(hash));
    }

    [Fact]
    public async Task Opening_a_missing_blob_is_refused()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => _store.OpenReadAsync(BlobHash.Of("never stored"u8)));
    }
}
