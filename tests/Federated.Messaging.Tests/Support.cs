using System.Threading.Channels;
using Federated.Contracts;
using MassTransit;

namespace Federated.Messaging.Tests;

/// <summary>Collects what a handler received, for tests to await.</summary>
internal sealed class Received<T> where T : class
{
    private readonly Channel<ConsumeContext<T>> _messages = Channel.CreateUnbounded<ConsumeContext<T>>();

    public Task Handle(ConsumeContext<T> context)
    {
        _messages.Writer.TryWrite(context);
        return Task.CompletedTask;
    }

    public async Task<ConsumeContext<T>> NextAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} arrived within {timeout.TotalSeconds:0} s.");
        }
    }

    public async Task<bool> NoneWithinAsync(TimeSpan wait)
    {
        using var limit = new CancellationTokenSource(wait);
        try
        {
            await _messages.Reader.WaitToReadAsync(limit.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}

/// <summary>A started bus that stops when disposed.</summary>
internal sealed class RunningBus(IBusControl bus) : IAsyncDisposable
{
    public IBusControl Bus => bus;

    public static async Task<RunningBus> StartAsync(BusSettings settings, Action<IEndpointRegistrar>? endpoints = null)
    {
        var bus = FederatedBus.Create(settings, endpoints);
        await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(60));
        return new RunningBus(bus);
    }

    public async Task SendAsync<T>(string queueName, T message) where T : class
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        await endpoint.Send(message);
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync(CancellationToken.None);
}

internal static class Messages
{
    public static string NewWorkerQueue() => $"fed-worker-t{Guid.NewGuid():N}"[..24];

    public static TrainShard Task(string workerId, int shard = 1) => new()
    {
        RunId = "run-test",
        Round = 1,
        ShardId = shard,
        LeaseId = Guid.NewGuid().ToString("N"),
        WorkerId = workerId,
        BaseModelHash = new string('a', 64),
        ShardDataHash = new string('b', 64),
        ModelFamily = "gpt",
        ModelSettings = new Dictionary<string, int> { ["layers"] = 2 },
        LocalSteps = 4,
        BatchSize = 8,
        LearningRate = 3e-4f,
        Seed = 42,
        LeaseExpiresAt = DateTimeOffset.UnixEpoch.AddYears(60),
    };
}
