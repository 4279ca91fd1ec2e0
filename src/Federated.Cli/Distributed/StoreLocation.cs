using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.EventStore.Sqlite;
using Npgsql;

namespace Federated.Cli.Distributed;

/// <summary>
/// Where a distributed coordinator keeps its event log: a SQLite file, or a PostgreSQL database given as a
/// connection string (<c>Host=...;Database=...</c>) or a URI (<c>postgres://user:pass@host:5432/db</c>).
/// </summary>
internal sealed record StoreLocation(bool IsPostgres, string Value)
{
    public const string Variable = "FED_STORE";

    /// <summary>The option when given, else <see cref="Variable"/>, else <paramref name="defaultSqlitePath"/>.</summary>
    public static StoreLocation Resolve(string? option, string? defaultSqlitePath)
    {
        var text = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (defaultSqlitePath is null)
                throw new StoreLocationException($"no event store given: pass --store or set {Variable} (a SQLite file or a PostgreSQL connection string)");
            text = defaultSqlitePath;
        }
        text = text.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(true, FromUri(text));
        if (text.Contains("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(text);
            }
            catch (ArgumentException e)
            {
                throw new StoreLocationException($"the PostgreSQL connection string is not valid: {e.Message}");
            }
            return new StoreLocation(true, text);
        }
        return new StoreLocation(false, Path.GetFullPath(text));
    }

    /// <summary>
    /// The log a reading command (`fed verify`, `fed payouts`) opens: <paramref name="storeOption"/> when given (a
    /// distributed coordinator's store), else the data directory's SQLite file. Null, with the error printed, when the
    /// option is malformed or no SQLite log exists there.
    /// </summary>
    public static StoreLocation? ForReading(string? storeOption, string dataDirectoryEventsDb)
    {
        StoreLocation location;
        try
        {
            location = storeOption is { Length: > 0 } ? Resolve(storeOption, null) : new StoreLocation(false, dataDirectoryEventsDb);
        }
        catch (Exception e) when (e is StoreLocationException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
        if (!location.IsPostgres && !File.Exists(location.Value))
        {
            Console.Error.WriteLine($"error: no event log at {location.Value}");
            return null;
        }
        return location;
    }

    /// <summary>For messages: the file, or host:port/database without the password.</summary>
    public override string ToString()
    {
        if (!IsPostgres) return $"SQLite {Value}";
        var b = new NpgsqlConnectionStringBuilder(Value);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>Opens (and for PostgreSQL, migrates) the store.</summary>
    /// <exception cref="EventStoreException">The database cannot be reached or is not a usable event store; the message names it.</exception>
    public async Task<IEventStore> OpenAsync(CancellationToken cancellationToken)
    {
        if (IsPostgres) return await PostgresEventStore.OpenAsync(Value, cancellationToken: cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Value)!);
        return new SqliteEventStore(Value);
    }

    public static async ValueTask CloseAsync(IEventStore store)
    {
        if (store is IAsyncDisposable async) await async.DisposeAsync();
        else if (store is IDisposable sync) sync.Dispose();
    }

    private static string FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new StoreLocationException($"the PostgreSQL URI '{Messaging.BrokerUris.Redact(text)}' is not valid; expected postgres://user:pass@host:5432/database");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0) b.Database = Uri.UnescapeDataString(database);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        return b.ConnectionString;
    }
}

/// <summary>The --store value (or FED_STORE) cannot name an event store.</summary>
internal sealed class StoreLocationException(string message) : Exception(message);
