using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Tests.Support;

/// <summary>A database file path under the temp directory, deleted (with its WAL and shared-memory files) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fed-eventstore-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Closes every pooled connection to the file, so its bytes are final and it can be edited or deleted.</summary>
    /// Stores release their own pool on dispose; this also covers a test that failed before disposing one.
    public void ReleaseConnections() => SqliteConnection.ClearAllPools();

    /// <summary>A raw connection, outside the store, for tampering with the file the way an attacker would.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        ReleaseConnections();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(Path + suffix);
        }
    }
}
