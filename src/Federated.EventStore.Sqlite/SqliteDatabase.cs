using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>One database file: how to open a connection to it, its schema, and how its failures are reported.</summary>
internal sealed class SqliteDatabase
{
    // SQLite primary result codes that mean "this file is not a healthy database".
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private const string ConnectionPragmas =
        "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    private SqliteDatabase(string path)
    {
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>Opens (creating if needed) the file at <paramref name="databasePath"/> and brings its schema up to date.</summary>
    public static SqliteDatabase Open(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var database = new SqliteDatabase(System.IO.Path.GetFullPath(databasePath));
        try
        {
            var directory = System.IO.Path.GetDirectoryName(database.Path);
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            using var connection = database.OpenConnection();
            SqliteMigrations.Apply(connection, database.Path);
        }
        catch (Exception e)
        {
            database.ReleasePool();
            if (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw database.Wrap(e, "open");
            }

            throw;
        }

        return database;
    }

    /// <summary>An open connection with this store's durability settings. SqliteException escapes unwrapped.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Turns a low-level failure into one that names the file and says what was being done.</summary>
    public EventStoreException Wrap(Exception e, string operation)
    {
        var cause = e is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase
            ? "the file is corrupted or is not a SQLite database"
            : "the database reported an error";
        return new EventStoreException(Path, $"Event store database '{Path}': {operation} failed: {cause}. {e.Message}", e);
    }

    /// <summary>A row that SQLite returned but that cannot be an event: the file was edited by hand or damaged.</summary>
    public EventStoreException Malformed(Exception e) =>
        new(Path, $"Event store database '{Path}': an event row is malformed (the file was edited or damaged). {e.Message}", e);

    /// <summary>Closes idle pooled connections so the file is released (and its WAL folded back in).</summary>
    public void ReleasePool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
