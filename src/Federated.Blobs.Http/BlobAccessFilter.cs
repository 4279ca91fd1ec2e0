using System.Security.Cryptography;
using System.Text;
using Federated.Blobs.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Federated.Blobs.Http;

/// <summary>
/// Decides what a request may do before any byte of its body is read: the operator's token opens everything, a lease
/// token (<see cref="BlobLeaseTokens"/>) opens that lease's blobs while the lease is open, anything else is 401 (no or
/// a wrong credential) or 403 (a genuine token whose lease is closed). The decision travels to the handlers as a
/// <see cref="BlobGrant"/>.
/// </summary>
internal sealed class BlobAccessFilter(BlobEndpointOptions options) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    // Comparing digests rather than the tokens keeps the comparison constant-time whatever the presented length.
    private readonly byte[]? _operatorDigest = options.AccessToken is { } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (grant, status, problem) = Decide(http.Request.Headers.Authorization);
        if (grant is not null)
        {
            grant.AttachTo(http);
            return next(context);
        }

        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        // A refused upload's body is not wanted: closing the connection spares reading (draining) it.
        if (HttpMethods.IsPut(http.Request.Method)) http.Response.Headers.Connection = "close";
        var result = HttpMethods.IsHead(http.Request.Method)
            ? Results.StatusCode(status)
            : BlobRequestHandlers.Problem(status, status == StatusCodes.Status401Unauthorized ? BlobProblems.Unauthorized : BlobProblems.Forbidden,
                status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden", $"{http.Request.Method} {http.Request.Path} {problem}");
        return ValueTask.FromResult<object?>(result);
    }

    /// <summary>The grant, or the status and what was wrong (never echoing a token).</summary>
    private (BlobGrant? Grant, int Status, string? Problem) Decide(StringValues header)
    {
        if (options.IsOpen) return (BlobGrant.Full, 0, null);
        if (header.Count == 0) return Unauthorized("needs an 'Authorization: Bearer <token>' header");
        if (header.Count > 1) return Unauthorized("has more than one Authorization header");
        var value = header[0] ?? "";
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return Unauthorized("has an Authorization header that is not a bearer token");
        var token = value[Scheme.Length..].Trim();

        if (_operatorDigest is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _operatorDigest))
            return (BlobGrant.Full, 0, null);

        if (options.LeaseAccess is { } access && BlobLeaseTokens.TryReadClaim(token, out var runId, out var leaseId))
        {
            var lease = access.Leases.FindOpenLease(runId, leaseId);
            if (lease is null)
                return (null, StatusCodes.Status403Forbidden, $"presents a token for lease {leaseId} of run {runId}, which is not open (expired, given back, its round closed, or never issued)");
            if (!access.Tokens.IsValidFor(token, lease))
                return Unauthorized($"presents a token for lease {leaseId} of run {runId} that this coordinator did not issue to its worker");
            return (new BlobGrant(lease), 0, null);
        }
        return Unauthorized("has a bearer token that does not match the server's");
    }

    private static (BlobGrant?, int, string?) Unauthorized(string problem) => (null, StatusCodes.Status401Unauthorized, problem);
}
