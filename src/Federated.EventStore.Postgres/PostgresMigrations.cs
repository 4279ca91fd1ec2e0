using System.Globalization;
using Federated.EventStore.Backends;
using Npgsql;
using NpgsqlTypes;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Applies the embedded Migrations/NNNN_name.sql scripts in order, all in one transaction, under an
/// advisory lock so that several processes opening a fresh schema at once migrate one after the other.
/// </summary>
internal static class PostgresMigrations
{
    // First key of the two-key advisory lock: "FEDM" in ASCII, so it does not collide with other users' locks.
    private const int LockClass = 0x4645444D;

    private static readonly Lazy<MigrationScripts> Scripts = new(() => MigrationScripts.Embedded(typeof(PostgresMigrations).Assembly));

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Scripts.Value.LatestVersion;

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
        foreach (var migration in Scripts.Value.PendingAfter(current, database.Location, $"'{database.Location}' (schema '{database.Schema}')"))
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO schema_version (version, name) VALUES ($1, $2)", cancellationToken,
                (migration.Version, NpgsqlDbType.Integer), (migration.Name, NpgsqlDbType.Text)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
}
