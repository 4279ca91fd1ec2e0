using Npgsql;

namespace Federated.EventStore.Postgres;

/// <summary>Shared by both stores' OpenAsync: bring the schema up to date, and report a failure by server name.</summary>
internal static class PostgresStoreOpening
{
    public static async Task<PostgresDatabase> OpenAsync(NpgsqlDataSource dataSource, string schema, bool ownsDataSource, CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(dataSource, schema, ownsDataSource);
        try
        {
            await PostgresMigrations.ApplyAsync(database, cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch (Exception e)
        {
            await database.DisposeAsync().ConfigureAwait(false);
            if (PostgresDatabase.IsDatabaseFailure(e))
            {
                throw database.Wrap(e, "open");
            }

            throw;
        }
    }
}
