using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Federated.Blobs.Http;

/// <summary>Refuses, with 401, any request whose <c>Authorization</c> header is not <c>Bearer &lt;token&gt;</c>.</summary>
internal sealed class BearerTokenFilter(string token) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    // Comparing digests rather than the tokens keeps the comparison constant-time whatever the presented length.
    private readonly byte[] _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var problem = Check(http.Request.Headers.Authorization);
        if (problem is null) return next(context);

        http.Response.Headers.WWWAuthenticate = "Bearer";
        var result = HttpMethods.IsHead(http.Request.Method)
            ? Results.StatusCode(StatusCodes.Status401Unauthorized)
            : BlobRequestHandlers.Problem(StatusCodes.Status401Unauthorized, BlobProblems.Unauthorized, "Unauthorized",
                $"{http.Request.Method} {http.Request.Path} {problem}");
        return ValueTask.FromResult<object?>(result);
    }

    /// <summary>Null when the header carries the right token, else what was wrong (never echoing the token).</summary>
    private string? Check(Microsoft.Extensions.Primitives.StringValues header)
    {
        if (header.Count == 0) return "needs an 'Authorization: Bearer <token>' header";
        if (header.Count > 1) return "has more than one Authorization header";
        var value = header[0] ?? "";
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return "has an Authorization header that is not a bearer token";
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(value[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedDigest) ? null : "has a bearer token that does not match the server's";
    }
}
