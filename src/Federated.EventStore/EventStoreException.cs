namespace Federated.EventStore;

/// <summary>
/// The store itself failed: its database is unreachable, corrupted, or not an event store.
/// The message names the database (<see cref="Location"/>) so an operator knows which file or server to look at.
/// </summary>
public class EventStoreException(string location, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The database file path or server the failure concerns.</summary>
    public string Location { get; } = location;
}
