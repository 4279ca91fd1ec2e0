using Federated.Blobs.Access;

namespace Federated.Blobs.Tests;

public sealed class BlobLeaseTokensTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "fed-secret-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    private static BlobLease LeaseOf(string worker) => new("run-1", "lease-1", worker, new HashSet<BlobHash>(), 100, DateTimeOffset.UtcNow);

    [Fact]
    public void A_new_secret_file_is_readable_and_writable_by_its_owner_only()
    {
        BlobLeaseTokens.LoadOrCreate(_path);

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
    }

    [Fact]
    public void A_token_issued_before_a_restart_is_still_valid_after_it()
    {
        var token = BlobLeaseTokens.LoadOrCreate(_path).Issue("run-1", "lease-1", "w1");

        Assert.True(BlobLeaseTokens.LoadOrCreate(_path).IsValidFor(token, LeaseOf("w1")));
    }

    [Fact]
    public void A_token_is_not_valid_for_the_same_lease_held_by_another_worker()
    {
        var tokens = BlobLeaseTokens.LoadOrCreate(_path);

        Assert.False(tokens.IsValidFor(tokens.Issue("run-1", "lease-1", "w1"), LeaseOf("w2")));
    }

    [Fact]
    public void A_token_names_its_run_and_lease()
    {
        var token = BlobLeaseTokens.LoadOrCreate(_path).Issue("run.with.dots", "lease/1", "w1");

        Assert.True(BlobLeaseTokens.TryReadClaim(token, out var run, out var lease));
        Assert.Equal(("run.with.dots", "lease/1"), (run, lease));
    }

    [Fact]
    public void A_secret_file_that_is_not_hex_is_refused_naming_the_file()
    {
        File.WriteAllText(_path, "not a secret");

        var error = Assert.Throws<InvalidDataException>(() => BlobLeaseTokens.LoadOrCreate(_path));

        Assert.Contains(_path, error.Message);
    }
}
