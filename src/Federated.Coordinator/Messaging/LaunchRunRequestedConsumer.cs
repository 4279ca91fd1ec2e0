using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using MassTransit;

namespace Federated.Coordinator.Messaging;

/// <summary>Launches a run submitted by `fed launch` and answers with its id, or with the spec's error.</summary>
public sealed class LaunchRunRequestedConsumer(CoordinatorHost host) : IConsumer<LaunchRunRequested>
{
    public async Task Consume(ConsumeContext<LaunchRunRequested> context)
    {
        RunLaunchAnswered answer;
        try
        {
            var runId = await host.LaunchAsync(context.Message.SpecJson, context.CancellationToken);
            answer = new RunLaunchAnswered { RequestId = context.Message.RequestId, RunId = runId };
        }
        catch (RunSpecException e)
        {
            answer = new RunLaunchAnswered { RequestId = context.Message.RequestId, Error = $"invalid run spec: {e.Message}" };
        }
        await context.RespondAsync(answer);
    }
}
