using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

public sealed class WorkerLeavingConsumer(RunCoordinator coordinator) : IConsumer<WorkerLeaving>
{
    public Task Consume(ConsumeContext<WorkerLeaving> context) => coordinator.WorkerLeavingAsync(context.Message, context.CancellationToken);
}
