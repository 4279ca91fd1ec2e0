namespace Federated.Testing;

/// <summary>
/// A PostgreSQL server the tests own, reachable on 127.0.0.1 only. The seam lets a container-based server
/// replace the private initdb one without touching any test.
/// </summary>
public interface IPostgresServer : IAsyncDisposable
{
    /// <summary>Superuser connection string to the server's test database (no password: trust on 127.0.0.1).</summary>
    string ConnectionString { get; }

    /// <summary>Stops the server the way an operator would (fast shutdown); its data stays.</summary>
    Task StopAsync();

    /// <summary>Starts the stopped server again on the same port and data.</summary>
    Task StartAsync();
}
