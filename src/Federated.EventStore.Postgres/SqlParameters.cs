using Npgsql;
using NpgsqlTypes;

namespace Federated.EventStore.Postgres;

internal static class SqlParameters
{
    // Positional (unnamed) and explicitly typed, so a prepared statement's parameter types never vary.
    public static NpgsqlParameter Typed<T>(T value, NpgsqlDbType type) => new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type };

    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
