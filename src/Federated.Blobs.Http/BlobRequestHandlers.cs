using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Federated.Blobs.Http;

/// <summary>The body of a successful PUT: the hash stored and its size.</summary>
public sealed record BlobReceipt(string Hash, long Size);

/// <summary>
/// What each blob route does, once <see cref="BlobAccessFilter"/> has decided what the caller may do. Bodies stream in
/// both directions: an upload goes to a temporary file while it is hashed and counted (refused the moment it passes its
/// cap), a download is served from the file it was verified through. Nothing reaches the store's final name until its
/// bytes are hash-checked.
/// </summary>
internal sealed class BlobRequestHandlers(IStreamingBlobStore store, BlobEndpointOptions options, LeaseUsage usage, ILogger logger)
{
    public async Task<IResult> PutAsync(string hash, HttpContext context)
    {
        if (!BlobHash.TryParse(hash, out var expected)) return Malformed(hash, context);
        var grant = BlobGrant.Of(context);
        var lease = grant.Lease;

        // A lease uploads one update: at most the run's update size, however large the server's general limit.
        var max = lease is null ? options.MaxBlobBytes : Math.Min(options.MaxBlobBytes, lease.MaxUploadBytes);
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > max)
            return TooLarge(context, $"upload for blob {expected} declares {declared} bytes, over {LimitName(lease)} of {max} bytes", max);
        if (lease is not null && usage.TryStartUpload(lease, expected) is { } spent)
            return QuotaExceeded($"upload for blob {expected} refused: {spent}");

        // The store's streaming copy enforces the cap on payload bytes, chunked or not. Kestrel's limit (30 MB by default)
        // is switched off for this request: even set to max + 1 it refused a chunked upload of exactly max bytes
        // (BlobEndpointTests.Putting_a_chunked_body_of_exactly_the_limit_is_stored).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = null;

        StoredBlob stored;
        try
        {
            stored = await store.PutAsync(request.Body, expected, max, context.RequestAborted);
        }
        catch (BlobTooLargeException e)
        {
            return TooLarge(context, $"upload for blob {expected} sent more than {LimitName(lease)} of {e.Limit} bytes; nothing was stored", e.Limit);
        }
        catch (BlobHashMismatchException e)
        {
            return Problem(StatusCodes.Status400BadRequest, BlobProblems.HashMismatch, "Blob hash mismatch", e.Message);
        }
        catch (IOException e) when (context.RequestAborted.IsCancellationRequested || e is BadHttpRequestException)
        {
            // The client went away or broke the framing mid-body; the partial upload is already deleted.
            return Problem(StatusCodes.Status400BadRequest, BlobProblems.HashMismatch, "Upload cut short", $"upload for blob {expected} ended before its body did: {e.Message}; nothing was stored");
        }
        catch (BlobStoreException e)
        {
            logger.LogError(e, "Storing blob {Hash} failed", expected);
            return StoreFailed($"storing blob {expected} failed on the server");
        }
        if (lease is not null && !usage.RecordStored(lease, expected))
            return QuotaExceeded($"upload for blob {expected} refused: lease {lease.LeaseId} has stored its {options.MaxUploadsPerLease} blobs");

        var receipt = new BlobReceipt(expected.Hex, stored.Size);
        return stored.Existed ? TypedResults.Ok(receipt) : TypedResults.Created($"{request.PathBase}{request.Path}", receipt);
    }

    public async Task<IResult> GetAsync(string hash, HttpContext context)
    {
        if (!BlobHash.TryParse(hash, out var wanted)) return Malformed(hash, context);
        var lease = BlobGrant.Of(context).Lease;
        if (lease is not null)
        {
            if (!lease.Readable.Contains(wanted))
                return Problem(StatusCodes.Status403Forbidden, BlobProblems.Forbidden, "Forbidden",
                    $"blob {wanted} is not one lease {lease.LeaseId} of run {lease.RunId} names (its base model and shard)");
            if (usage.TryStartDownload(lease, wanted) is { } spent)
                return QuotaExceeded($"download of blob {wanted} refused: {spent}");
        }

        Stream content;
        try
        {
            content = await store.OpenReadAsync(wanted, context.RequestAborted);
        }
        catch (BlobNotFoundException)
        {
            return Problem(StatusCodes.Status404NotFound, BlobProblems.NotFound, "Blob not found", $"blob {wanted} is not in the server's store");
        }
        catch (BlobCorruptedException e)
        {
            logger.LogError(e, "Refused to serve blob {Hash}: the stored copy is corrupted", wanted);
            return Corrupted(wanted, "the stored copy fails its hash check");
        }
        catch (BlobStoreException e)
        {
            logger.LogError(e, "Reading blob {Hash} failed", wanted);
            return StoreFailed($"reading blob {wanted} failed on the server");
        }
        // The stream was hash-checked through this very handle (OpenReadAsync), and is disposed once sent.
        return TypedResults.Stream(content, "application/octet-stream", entityTag: new EntityTagHeaderValue($"\"{wanted}\""));
    }

    public async Task<IResult> HeadAsync(string hash, HttpContext context)
    {
        // A HEAD response has no body, so its errors are bare status codes.
        if (!BlobHash.TryParse(hash, out var wanted)) return TypedResults.StatusCode(StatusCodes.Status400BadRequest);
        if (BlobGrant.Of(context).Lease is { } lease && !lease.Readable.Contains(wanted)) return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        return await store.ExistsAsync(wanted, context.RequestAborted)
            ? TypedResults.Ok()
            : TypedResults.NotFound();
    }

    internal static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);

    private static string LimitName(Federated.Blobs.Access.BlobLease? lease) =>
        lease is null ? "the server's limit" : $"the limit for lease {lease.LeaseId} (the run's update size)";

    private static IResult Malformed(string hash, HttpContext context)
    {
        string reason;
        try { BlobHash.Parse(hash); reason = "unparseable"; }
        catch (FormatException e) { reason = e.Message; }
        return Problem(StatusCodes.Status400BadRequest, BlobProblems.MalformedHash, "Malformed blob hash",
            $"{context.Request.Method} {context.Request.Path}: {reason}");
    }

    private static IResult TooLarge(HttpContext context, string detail, long? limit)
    {
        // The rest of the body is not wanted: closing the connection spares reading (draining) it.
        context.Response.Headers.Connection = "close";
        return Problem(StatusCodes.Status413PayloadTooLarge, BlobProblems.TooLarge, "Blob too large", detail,
            limit is { } l ? new Dictionary<string, object?> { [BlobProblems.LimitExtension] = l } : null);
    }

    private static IResult QuotaExceeded(string detail) =>
        Problem(StatusCodes.Status403Forbidden, BlobProblems.QuotaExceeded, "Lease quota exceeded", detail);

    private static IResult Corrupted(BlobHash hash, string why) =>
        Problem(StatusCodes.Status500InternalServerError, BlobProblems.Corrupted, "Blob corrupted",
            $"blob {hash} is corrupted in the server's store ({why}); it will not be served");

    private static IResult StoreFailed(string detail) =>
        Problem(StatusCodes.Status500InternalServerError, BlobProblems.StoreFailed, "Blob store failed", detail);
}
