using Federated.EventStore.Backends;

namespace Federated.EventStore.Sqlite;

/// <summary>The events table's select (rows read by <see cref="EventRowReader"/>) and the text form of an event id.</summary>
internal static class EventRows
{
    public const string Select = "SELECT " + EventRowReader.Columns + " FROM events";

    /// <summary>The text form stored in event_id (and shared with PostgreSQL's uuid text output).</summary>
    public static string IdText(Guid eventId) => eventId.ToString("D");
}
