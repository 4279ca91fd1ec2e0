using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

public sealed class ShardTrainedConsumer(RunCoordinator coordinator) : IConsumer<ShardTrained>
{
    public Task Consume(ConsumeContext<ShardTrained> context) => coordinator.ShardTrainedAsync(context.Message, context.CancellationToken);
}
