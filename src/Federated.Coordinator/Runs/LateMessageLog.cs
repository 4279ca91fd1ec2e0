using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

/// <summary>A worker message that arrived after its run had ended, as recorded: it counts for nothing (the run's
/// log is closed), but it is not lost from view either.</summary>
/// <param name="LeaseId">The lease the message was about.</param>
/// <param name="RunStatus">How the run had ended (Completed or Failed).</param>
public sealed record LateMessage(string RunId, string MessageType, string WorkerId, string LeaseId, string RunStatus, DateTimeOffset ReceivedAt);

/// <summary>
/// The coordinator's stream <c>coordinator-late</c>: updates and notices for runs that had already ended when they
/// arrived. The run's own stream stays closed after <c>RunCompleted</c>/<c>RunFailed</c>, so replays and payouts do
/// not change; a redelivered late message is recorded once (the event id comes from the run, type, lease and worker).
/// </summary>
public static class LateMessageLog
{
    public const string StreamId = "coordinator-late";
    public const string EventType = "LateMessageIgnored.V1";
    private static readonly RecordStream<LateMessage> Stream = new(StreamId, EventType, new Guid("5d2b7c90-1e4f-4a8b-9c3d-6f0e2a7b8c14"));

    public static Task AppendAsync(IEventStore store, LateMessage message, CancellationToken cancellationToken = default) =>
        Stream.AppendAsync(store, message, $"{message.RunId}/{message.MessageType}/{message.LeaseId}/{message.WorkerId}", cancellationToken);

    public static Task<IReadOnlyList<LateMessage>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken = default) =>
        Stream.ReadAsync(store, cancellationToken);
}
