using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>Applies the embedded Migrations/NNNN_name.sql scripts in order, all in one transaction.</summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Migrations/";

    private static readonly Lazy<IReadOnlyList<Migration>> All = new(Load);

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => All.Value.Count;

    public static void Apply(SqliteConnection connection, string databasePath)
    {
        // WAL is a property of the file, and cannot be switched inside a transaction.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");

        // BEGIN IMMEDIATE: two processes opening a fresh file migrate one after the other.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;");

        var current = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new EventStoreException(databasePath,
                $"Event store database '{databasePath}' has schema version {current}, newer than this build knows ({LatestVersion}). Use a newer fed.");
        }

        foreach (var migration in All.Value.Skip(current))
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

    private static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var fileName = name[ResourcePrefix.Length..];
                var version = int.Parse(fileName.AsSpan(0, fileName.IndexOf('_')), NumberStyles.None, CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return new Migration(version, fileName, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();

        // A missing or doubled number would silently skip or repeat schema changes.
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration scripts must be numbered 1, 2, 3, ... without gaps; found {migrations[i].Name} at place {i + 1}.");
            }
        }

        return migrations;
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

    private sealed record Migration(int Version, string Name, string Sql);
}
