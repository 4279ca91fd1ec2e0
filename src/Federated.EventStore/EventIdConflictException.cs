namespace Federated.EventStore;

/// <summary>
/// An append reused event ids in a way that is not an exact retry: only part of the batch is stored,
/// the ids live in another stream, or they are stored in another order. Nothing was written.
/// </summary>
/// <remarks>A retry after a lost acknowledgement must resend the same ids, in the same order, to the same stream.</remarks>
public sealed class EventIdConflictException(string streamId, Guid eventId, string reason)
    : Exception($"Append to stream '{streamId}' rejected: event id {eventId} {reason}. Nothing was written.")
{
    public string StreamId { get; } = streamId;

    /// <summary>The first id of the batch that conflicts.</summary>
    public Guid EventId { get; } = eventId;
}
