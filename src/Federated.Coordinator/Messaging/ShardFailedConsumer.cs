using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

public sealed class ShardFailedConsumer(RunCoordinator coordinator) : IConsumer<ShardFailed>
{
    public Task Consume(ConsumeContext<ShardFailed> context) => coordinator.ShardFailedAsync(context.Message, context.CancellationToken);
}
