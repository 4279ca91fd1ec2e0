using System.Net.Sockets;
using Npgsql;

namespace Federated.EventStore.Postgres;

/// <summary>
/// One store's place on a server: the data source to connect through, the schema, and how failures are
/// reported (naming host, port, database and schema, never the password).
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly bool _ownsDataSource;

    public PostgresDatabase(NpgsqlDataSource dataSource, string schema, bool ownsDataSource)
    {
        DataSource = dataSource;
        Schema = schema;
        _ownsDataSource = ownsDataSource;
        Location = DescribeLocation(dataSource);
        Sql = new PostgresStatements(schema);
    }

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    /// <summary>host:port/database, for messages and <see cref="EventStoreException.Location"/>.</summary>
    public string Location { get; }

    public PostgresStatements Sql { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Failures that come from the server or the connection to it (everything else is a bug or a bad argument).</summary>
    public static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or SocketException or TimeoutException or IOException;

    /// <summary>Turns a low-level failure into one that names the server and says what was being done.</summary>
    public EventStoreException Wrap(Exception e, string operation) =>
        new(Location, $"Event store database '{Location}' (schema '{Schema}'): {operation} failed: {Cause(e)}. {e.Message}", e);

    /// <summary>A row the server returned but that cannot be an event: the table was edited by hand.</summary>
    public EventStoreException Malformed(Exception e) =>
        new(Location, $"Event store database '{Location}' (schema '{Schema}'): an event row is malformed (the table was edited). {e.Message}", e);

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Cause(Exception e) => e switch
    {
        PostgresException { SqlState: "3D000" } => "the database does not exist",
        PostgresException { SqlState: "3F000" or "42P01" } => "the schema is not an event store (a table is missing)",
        PostgresException p when p.SqlState.StartsWith("28", StringComparison.Ordinal) => "the server refused the credentials",
        PostgresException p when p.SqlState.StartsWith("57P", StringComparison.Ordinal) => "the server is shutting down or restarting",
        PostgresException => "the database reported an error",
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } or SocketException or IOException =>
            "the server cannot be reached (is it running, and are host and port right?)",
        TimeoutException or NpgsqlException { InnerException: TimeoutException } => "the server did not answer in time",
        _ => "the connection to the server failed",
    };

    private static string DescribeLocation(NpgsqlDataSource dataSource)
    {
        // The data source's own connection string already has the password removed; we only read the address parts.
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var database = builder.Database ?? builder.Username ?? "(default database)";
        return $"{builder.Host}:{builder.Port}/{database}";
    }
}
