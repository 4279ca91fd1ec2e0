using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Federated.Blobs.Http.Tests;

/// <summary>
/// A real Kestrel server that answers every request with the given handler: a misbehaving blob server
/// (wrong bytes, oversized bodies, 503s) for checking what the client does with it.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, int, Task> handle)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().UseUrls(BlobServer.DefaultListenUrl);
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(context => handle(context, Interlocked.Increment(ref server._requests)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public HttpBlobStore Client(long? maxBlobBytes = null, int maxAttempts = 3) =>
        new(new HttpBlobStoreOptions
        {
            BaseAddress = BaseAddress,
            MaxBlobBytes = maxBlobBytes ?? DirectoryBlobStore.DefaultMaxBlobBytes,
            MaxAttempts = maxAttempts,
            FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
