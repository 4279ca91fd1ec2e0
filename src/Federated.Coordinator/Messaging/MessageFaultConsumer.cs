using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>
/// Records a worker message that failed all its retries (MassTransit publishes a <see cref="Fault{T}"/> when it moves
/// the message to <c>fed-coordinator_error</c>), so the log says what was refused and why. A message that cannot even
/// be deserialised has no typed fault: it goes to the error queue with MassTransit's fault headers only.
/// </summary>
public sealed class MessageFaultConsumer(RunCoordinator coordinator) : IConsumer<Fault<ShardTrained>>, IConsumer<Fault<ShardFailed>>
{
    public Task Consume(ConsumeContext<Fault<ShardTrained>> context) =>
        RecordAsync(context.Message, nameof(ShardTrained), context.Message.Message?.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ShardFailed>> context) =>
        RecordAsync(context.Message, nameof(ShardFailed), context.Message.Message?.RunId, context.CancellationToken);

    private Task RecordAsync(Fault fault, string messageType, string? runId, CancellationToken cancellationToken)
    {
        var reason = string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));
        var messageId = fault.FaultedMessageId?.ToString("N") ?? fault.FaultId.ToString("N");
        return coordinator.RecordFaultAsync(new MessageFault(messageId, messageType, runId, reason, fault.Timestamp), cancellationToken);
    }
}
