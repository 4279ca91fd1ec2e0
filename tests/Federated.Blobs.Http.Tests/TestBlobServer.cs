using System.Net;
using System.Net.Sockets;

namespace Federated.Blobs.Http.Tests;

/// <summary>A real <see cref="BlobServer"/> on loopback over a <see cref="DirectoryBlobStore"/> in a fresh temporary folder.</summary>
internal sealed class TestBlobServer : IAsyncDisposable
{
    private TestBlobServer(string root, DirectoryBlobStore store, BlobServer server)
    {
        Root = root;
        Store = store;
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public string Root { get; }
    public DirectoryBlobStore Store { get; }
    public BlobServer Server { get; }

    /// <summary>A plain client for talking to the routes directly.</summary>
    public HttpClient Http { get; }

    public static async Task<TestBlobServer> StartAsync(BlobEndpointOptions? options = null, string listenUrl = BlobServer.DefaultListenUrl)
    {
        var root = NewTempFolder();
        var store = new DirectoryBlobStore(root);
        var server = await BlobServer.StartAsync(store, listenUrl, options);
        return new TestBlobServer(root, store, server);
    }

    public HttpBlobStore Client(string? token = null, long? maxBlobBytes = null, int maxAttempts = 2) =>
        new(new HttpBlobStoreOptions
        {
            BaseAddress = Server.BaseAddress,
            AccessToken = token,
            MaxBlobBytes = maxBlobBytes ?? DirectoryBlobStore.DefaultMaxBlobBytes,
            MaxAttempts = maxAttempts,
            FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        });

    public string[] FilesInStore() => Directory.GetFiles(Root, "*", SearchOption.AllDirectories);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    public static string NewTempFolder() => Path.Combine(Path.GetTempPath(), "fed-blobs-http-" + Guid.NewGuid().ToString("N"));

    /// <summary>A loopback port nothing listens on right now (the OS hands out a fresh one and it is released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
