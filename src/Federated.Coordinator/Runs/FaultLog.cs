using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

/// <summary>A message the coordinator gave up on after its retries (it is in the error queue), as recorded.</summary>
/// <param name="MessageId">The bus message id: recording the same fault twice stores it once.</param>
/// <param name="RunId">The run the message named, if it could be read.</param>
public sealed record MessageFault(string MessageId, string MessageType, string? RunId, string Reason, DateTimeOffset FaultedAt);

/// <summary>
/// The coordinator's own stream, <c>coordinator-faults</c>: messages that could not be handled and went to the error
/// queue, e.g. a <c>ShardTrained</c> for a run the log does not hold. Bad updates for a known run are not faults:
/// the run records them as <c>UpdateRejected</c>. Run replays (<c>fed verify</c>) read only <c>run-</c> streams.
/// </summary>
public static class FaultLog
{
    public const string StreamId = "coordinator-faults";
    public const string EventType = "MessageFaulted.V1";
    private static readonly RecordStream<MessageFault> Stream = new(StreamId, EventType, new Guid("0c7f6a51-93d4-4c0e-8a52-2f4b1e9d7a63"));

    /// <summary>Keyed by the message id: a redelivered fault adds nothing.</summary>
    public static Task AppendAsync(IEventStore store, MessageFault fault, CancellationToken cancellationToken = default) =>
        Stream.AppendAsync(store, fault, $"{fault.MessageType}/{fault.MessageId}", cancellationToken);

    public static Task<IReadOnlyList<MessageFault>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken = default) =>
        Stream.ReadAsync(store, cancellationToken);
}
