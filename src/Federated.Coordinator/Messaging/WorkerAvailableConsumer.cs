using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

public sealed class WorkerAvailableConsumer(RunCoordinator coordinator) : IConsumer<WorkerAvailable>
{
    public Task Consume(ConsumeContext<WorkerAvailable> context) => coordinator.WorkerAvailableAsync(context.Message, context.CancellationToken);
}
