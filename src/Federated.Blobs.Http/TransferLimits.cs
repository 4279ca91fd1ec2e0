using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Federated.Blobs.Http;

/// <summary>
/// Caps transfers in progress with ASP.NET Core's rate-limiting middleware: a concurrency limiter over all requests,
/// chained with one per credential (per remote address without one), no queue. The middleware holds its permit until
/// the response is written, so a 100 MB download occupies its slot for as long as it streams. Beyond the cap the
/// answer is 503 with Retry-After, which <see cref="HttpBlobStore"/> waits out before its next try.
/// </summary>
public static class TransferLimits
{
    public static IServiceCollection AddBlobTransferLimits(this IServiceCollection services, BlobEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var retryAfter = ((int)Math.Ceiling(options.BusyRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("all",
                    _ => new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrentTransfers, QueueLimit = 0 })),
                PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetConcurrencyLimiter(ClientOf(context),
                    _ => new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrentTransfersPerClient, QueueLimit = 0 })));
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = retryAfter;
                if (HttpMethods.IsHead(http.Request.Method)) return;
                await BlobRequestHandlers.Problem(StatusCodes.Status503ServiceUnavailable, BlobProblems.Busy, "Blob server busy",
                    $"{http.Request.Method} {http.Request.Path}: too many transfers in progress; retry after {retryAfter} s").ExecuteAsync(http);
            };
        });
    }

    /// <summary>Who a request counts against: a digest of its credential (never kept in clear), else its address.</summary>
    private static string ClientOf(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
            return "credential:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)), 0, 16);
        return "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
