using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federated.Blobs.Http;

/// <summary>
/// The blob store over HTTP: <c>PUT</c>, <c>GET</c> and <c>HEAD</c> on <c>/blobs/{hash}</c>. The coordinator runs them in a
/// <see cref="BlobServer"/> (which also caps concurrent transfers, <see cref="TransferLimits"/>); workers use
/// <see cref="HttpBlobStore"/>. Errors are problem+json whose <c>type</c> is one of <see cref="BlobProblems"/>.
/// </summary>
public static class BlobEndpoints
{
    public const string RoutePrefix = "/blobs";
    public const string LoggerCategory = "Federated.Blobs.Http";

    /// <summary>Adds the blob routes under <see cref="RoutePrefix"/> and returns their group, for the host to decorate.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, IStreamingBlobStore store, BlobEndpointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new BlobEndpointOptions();
        options.Validate();

        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
        var time = endpoints.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var handlers = new BlobRequestHandlers(store, options, new LeaseUsage(options, time), logger);

        var group = endpoints.MapGroup(RoutePrefix);
        group.AddEndpointFilter(new BlobAccessFilter(options));
        group.MapPut("/{hash}", handlers.PutAsync);
        group.MapGet("/{hash}", handlers.GetAsync);
        group.MapMethods("/{hash}", [HttpMethods.Head], handlers.HeadAsync);
        return group;
    }
}
