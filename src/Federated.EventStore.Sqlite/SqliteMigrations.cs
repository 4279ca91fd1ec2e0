using System.Globalization;
using Federated.EventStore.Backends;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>Applies the embedded Migrations/NNNN_name.sql scripts in order, all in one transaction.</summary>
internal static class SqliteMigrations
{
    private static readonly Lazy<MigrationScripts> Scripts = new(() => MigrationScripts.Embedded(typeof(SqliteMigrations).Assembly));

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Scripts.Value.LatestVersion;

    public static void Apply(SqliteConnection connection, string databasePath)
    {
        // WAL is a property of the file, and cannot be switched inside a transaction.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");

        // BEGIN IMMEDIATE: two processes opening a fresh file migrate one after the other.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;");

        var current = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
        foreach (var migration in Scripts.Value.PendingAfter(current, databasePath, $"'{databasePath}'"))
        {
            Execute(connection, transaction, migration.Sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($version, $name, CAST(strftime('%s', 'now') AS INTEGER));";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
