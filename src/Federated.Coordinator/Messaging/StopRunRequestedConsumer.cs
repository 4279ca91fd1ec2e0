using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>Stops a run at a consortium admin's signed request and answers whether it did.</summary>
public sealed class StopRunRequestedConsumer(RunCoordinator coordinator) : IConsumer<StopRunRequested>
{
    public async Task Consume(ConsumeContext<StopRunRequested> context) =>
        await context.RespondAsync(await coordinator.StopAsync(context.Message, context.CancellationToken));
}
