using Federated.EventStore.Backends;
using Microsoft.Data.Sqlite;

namespace Federated.EventStore.Sqlite;

/// <summary>
/// One running SELECT over the events table on its own pooled connection, yielding rows one at a time and
/// turning every failure into an <see cref="EventStoreException"/> that names the file.
/// </summary>
internal sealed class EventQuery : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly string _operation;
    private SqliteConnection? _connection;
    private SqliteCommand? _command;
    private SqliteDataReader? _rows;

    public EventQuery(SqliteDatabase database, string sql, (string Name, object Value)[] parameters, string operation)
    {
        _database = database;
        _operation = operation;
        try
        {
            _connection = database.OpenConnection();
            _command = _connection.CreateCommand();
            _command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                _command.Parameters.AddWithValue(name, value);
            }

            _rows = _command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            Dispose();
            throw database.Wrap(e, operation);
        }
    }

    /// <summary>The next event, or null at the end.</summary>
    public RecordedEvent? Next()
    {
        try
        {
            return _rows!.Read() ? EventRowReader.Read(_rows) : null;
        }
        catch (SqliteException e)
        {
            throw _database.Wrap(e, _operation);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            // SQLite returned the row, but its values cannot be an event's (e.g. a NULL or a text where bytes belong).
            throw _database.Malformed(e);
        }
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _command?.Dispose();
        _connection?.Dispose();
        _rows = null;
        _command = null;
        _connection = null;
    }
}
