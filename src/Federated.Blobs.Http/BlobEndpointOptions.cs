namespace Federated.Blobs.Http;

/// <summary>Settings for the blob routes that <see cref="BlobEndpoints.Map"/> adds.</summary>
public sealed record BlobEndpointOptions
{
    /// <summary>The largest upload accepted, in bytes; larger ones get 413 before they are stored.</summary>
    public long MaxBlobBytes { get; init; } = DirectoryBlobStore.DefaultMaxBlobBytes;

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;token&gt;</c> or gets 401.</summary>
    public string? AccessToken { get; init; }

    internal void Validate()
    {
        // An upload is buffered in one array before it reaches IBlobStore, so the cap must fit one.
        if (MaxBlobBytes <= 0 || MaxBlobBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxBlobBytes), MaxBlobBytes, $"must be between 1 and {Array.MaxLength} bytes");
        if (AccessToken is not null && string.IsNullOrWhiteSpace(AccessToken))
            throw new ArgumentException("access token must be null (no authentication) or a non-blank string", nameof(AccessToken));
    }
}
