using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Federated.Blobs.Http;

/// <summary>
/// A self-hosted Kestrel server with only the blob routes, for a coordinator that has no web host of its own.
/// It is built from an empty host, so no appsettings file or ASPNETCORE_* variable can move its address.
/// </summary>
public sealed class BlobServer : IAsyncDisposable
{
    /// <summary>Loopback on a free port: reachable only from this machine until an address is chosen on purpose.</summary>
    public const string DefaultListenUrl = "http://127.0.0.1:0";

    private readonly WebApplication _app;
    private int _stopped;

    private BlobServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The address the server is bound to, with the real port when it was asked for port 0; ends in '/'.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts serving <paramref name="store"/> at <paramref name="listenUrl"/>: <c>http://127.0.0.1:0</c> for loopback on
    /// a free port, <c>http://0.0.0.0:5080</c> to let workers on other hosts in, which needs a credential configured
    /// (<see cref="BlobEndpointOptions.LeaseAccess"/> or <see cref="BlobEndpointOptions.AccessToken"/>).</summary>
    public static async Task<BlobServer> StartAsync(
        IStreamingBlobStore store, string listenUrl = DefaultListenUrl, BlobEndpointOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(listenUrl);
        if (!Uri.TryCreate(listenUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"listen URL must be an absolute http:// URL such as {DefaultListenUrl}, got '{listenUrl}'", nameof(listenUrl));
        options ??= new BlobEndpointOptions();
        options.Validate();
        if (options.IsOpen && !IsLoopback(url))
            throw new ArgumentException($"refusing to serve blobs at {listenUrl} without authentication: only a loopback address may be open to anyone", nameof(options));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRoutingCore();
        builder.Services.AddBlobTransferLimits(options);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.WebHost.UseUrls(listenUrl);

        var app = builder.Build();
        app.UseRateLimiter();
        app.UseRouting();
        BlobEndpoints.Map(app, store, options);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var bound = addresses.FirstOrDefault();
        if (bound is null)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"blob server started for {listenUrl} but reported no bound address");
        }
        return new BlobServer(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
