using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Applies the embedded Migrations/NNNN_name.sql scripts in order, all in one transaction, under an
/// advisory lock so that several processes opening a fresh schema at once migrate one after the other.
/// </summary>
internal static class PostgresMigrations
{
    private const string ResourcePrefix = "Migrations/";

    // First key of the two-key advisory lock: "FEDM" in ASCII, so it does not collide with other users' locks.
    private const int LockClass = 0x4645444D;

    private static readonly Lazy<IReadOnlyList<Migration>> All = new(Load);

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => All.Value.Count;

    public static async Task ApplyAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The lock is released by COMMIT/ROLLBACK; the schema name is hashed into the second key.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1, hashtext($2))", cancellationToken,
            (LockClass, NpgsqlDbType.Integer), (database.Schema, NpgsqlDbType.Text)).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{database.Schema}\"", cancellationToken).ConfigureAwait(false);
        // LOCAL: only for this transaction, so the pooled connection goes back unchanged.
        await ExecuteAsync(connection, $"SET LOCAL search_path TO \"{database.Schema}\"", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);

        await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection);
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new EventStoreException(database.Location,
                $"Event store database '{database.Location}' (schema '{database.Schema}') has schema version {current}, " +
                $"newer than this build knows ({LatestVersion}). Use a newer fed.");
        }

        foreach (var migration in All.Value.Skip(current))
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO schema_version (version, name) VALUES ($1, $2)", cancellationToken,
                (migration.Version, NpgsqlDbType.Integer), (migration.Name, NpgsqlDbType.Text)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (object Value, NpgsqlDbType Type)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record Migration(int Version, string Name, string Sql);
}
