using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Federated.Blobs.Http;

/// <summary>The body of a successful PUT: the hash stored and its size.</summary>
public sealed record BlobReceipt(string Hash, long Size);

/// <summary>What each blob route does. Nothing reaches the store until its bytes are fully read and hash-checked.</summary>
internal sealed class BlobRequestHandlers(IBlobStore store, BlobEndpointOptions options, ILogger logger)
{
    public async Task<IResult> PutAsync(string hash, HttpContext context)
    {
        if (!BlobHash.TryParse(hash, out var expected)) return Malformed(hash, context);

        var request = context.Request;
        var max = options.MaxBlobBytes;
        if (request.ContentLength is { } declared && declared > max)
            return TooLarge($"upload for blob {expected} declares {declared} bytes, over the server's limit of {max} bytes", max);

        // Our own reader enforces the cap on payload bytes, chunked or not. Kestrel's limit (30 MB by default)
        // is switched off for this request: even set to MaxBlobBytes + 1 it refused a chunked upload of exactly
        // MaxBlobBytes (BlobEndpointTests.Putting_a_chunked_body_of_exactly_the_limit_is_stored).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = null;

        var body = await CappedBody.ReadAsync(request.Body, request.ContentLength, max, context.RequestAborted);
        if (body is null)
            return TooLarge($"upload for blob {expected} sent more than the server's limit of {max} bytes", max);

        if (body.Hash != expected)
            return Problem(StatusCodes.Status400BadRequest, BlobProblems.HashMismatch, "Blob hash mismatch",
                $"upload for blob {expected} ({body.Length} bytes) hashes to {body.Hash}; nothing was stored");

        var existed = await store.ExistsAsync(expected, context.RequestAborted);
        try
        {
            await store.PutAsync(body.Buffer.AsMemory(0, body.Length), context.RequestAborted);
        }
        catch (BlobTooLargeException e)
        {
            return TooLarge($"upload for blob {expected} ({body.Length} bytes) refused by the store: {e.Message}", limit: null);
        }
        catch (BlobStoreException e)
        {
            logger.LogError(e, "Storing blob {Hash} ({Size} bytes) failed", expected, body.Length);
            return StoreFailed($"storing blob {expected} ({body.Length} bytes) failed on the server");
        }

        var receipt = new BlobReceipt(expected.Hex, body.Length);
        return existed ? TypedResults.Ok(receipt) : TypedResults.Created($"{request.PathBase}{request.Path}", receipt);
    }

    public async Task<IResult> GetAsync(string hash, HttpContext context)
    {
        if (!BlobHash.TryParse(hash, out var wanted)) return Malformed(hash, context);

        byte[] bytes;
        try
        {
            bytes = await store.GetAsync(wanted, context.RequestAborted);
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

        // The store may be any IBlobStore; checking again here is what guarantees no bad byte leaves the server.
        var actual = BlobHash.Of(bytes);
        if (actual != wanted)
        {
            logger.LogError("Refused to serve blob {Hash}: the store returned {Size} bytes that hash to {Actual}", wanted, bytes.Length, actual);
            return Corrupted(wanted, $"the store returned {bytes.Length} bytes that hash to {actual}");
        }
        return TypedResults.Bytes(bytes, "application/octet-stream", entityTag: new EntityTagHeaderValue($"\"{wanted}\""));
    }

    public async Task<IResult> HeadAsync(string hash, HttpContext context)
    {
        // A HEAD response has no body, so its errors are bare status codes.
        if (!BlobHash.TryParse(hash, out var wanted)) return TypedResults.StatusCode(StatusCodes.Status400BadRequest);
        return await store.ExistsAsync(wanted, context.RequestAborted)
            ? TypedResults.Ok()
            : TypedResults.NotFound();
    }

    internal static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);

    private static IResult Malformed(string hash, HttpContext context)
    {
        string reason;
        try { BlobHash.Parse(hash); reason = "unparseable"; }
        catch (FormatException e) { reason = e.Message; }
        return Problem(StatusCodes.Status400BadRequest, BlobProblems.MalformedHash, "Malformed blob hash",
            $"{context.Request.Method} {context.Request.Path}: {reason}");
    }

    private static IResult TooLarge(string detail, long? limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, BlobProblems.TooLarge, "Blob too large", detail,
            limit is { } l ? new Dictionary<string, object?> { [BlobProblems.LimitExtension] = l } : null);

    private static IResult Corrupted(BlobHash hash, string why) =>
        Problem(StatusCodes.Status500InternalServerError, BlobProblems.Corrupted, "Blob corrupted",
            $"blob {hash} is corrupted in the server's store ({why}); it will not be served");

    private static IResult StoreFailed(string detail) =>
        Problem(StatusCodes.Status500InternalServerError, BlobProblems.StoreFailed, "Blob store failed", detail);
}
