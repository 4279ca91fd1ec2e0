namespace Federated.Blobs.Http;

/// <summary>Where a worker finds the coordinator's blob routes and how hard it tries to reach them.</summary>
public sealed record HttpBlobStoreOptions
{
    /// <summary>The server's base address (the routes live at <c>BaseAddress/blobs/{hash}</c>).</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer &lt;token&gt;</c> when set.</summary>
    public string? AccessToken { get; init; }

    /// <summary>How long one attempt may take, body included; a timed-out attempt counts as a transient failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The largest blob this client uploads or accepts in a download.</summary>
    public long MaxBlobBytes { get; init; } = DirectoryBlobStore.DefaultMaxBlobBytes;

    /// <summary>Attempts per operation, the first included. The defaults (5 tries, 0.2 s doubling) wait about 3 s in all,
    /// enough to ride out a coordinator restart without hiding a server that is really gone.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long, in all, an operation waits on a busy server's Retry-After (503/429) without counting those
    /// answers as failed attempts; past it they count like any other.</summary>
    public TimeSpan MaxBusyWait { get; init; } = TimeSpan.FromMinutes(2);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("http" or "https"))
            throw new ArgumentException($"base address must be an absolute http(s) URL, got '{BaseAddress}'", nameof(BaseAddress));
        if (AccessToken is not null && string.IsNullOrWhiteSpace(AccessToken))
            throw new ArgumentException("access token must be null (no authentication) or a non-blank string", nameof(AccessToken));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "must be positive or infinite");
        if (MaxBlobBytes <= 0 || MaxBlobBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxBlobBytes), MaxBlobBytes, $"must be between 1 and {Array.MaxLength} bytes");
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "must be at least 1");
        if (MaxBusyWait < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxBusyWait), MaxBusyWait, "must not be negative");
        if (FirstRetryDelay < TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
            throw new ArgumentOutOfRangeException(nameof(FirstRetryDelay), FirstRetryDelay, $"retry delays must satisfy 0 <= first <= max ({MaxRetryDelay})");
    }
}
