using Federated.Contracts;
using Federated.Coordinator.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>Launches a run submitted by `fed launch`, if a consortium admin signed the request, and answers with its
/// id, or with why not (refused, or the spec's error).</summary>
public sealed class LaunchRunRequestedConsumer(CoordinatorHost host) : IConsumer<LaunchRunRequested>
{
    public async Task Consume(ConsumeContext<LaunchRunRequested> context) =>
        await context.RespondAsync(await host.LaunchAsync(context.Message, context.CancellationToken));
}
