using Federated.Blobs;
using Federated.Contracts;
using Federated.Engine;
using Federated.Engine.Parameters;
using MassTransit;

namespace Federated.Worker;

/// <summary>
/// Thin consumer. With a <see cref="ShardTrainingQueue"/> (the distributed worker) it queues the task and returns, so
/// the delivery is acknowledged at once; without one (the in-process demo, which has no consumer timeout) it trains
/// inline and publishes the result, or a <see cref="ShardFailed"/> naming why not.
/// </summary>
public sealed class TrainShardConsumer(ShardWorker worker, ShardTrainingQueue? queue = null) : IConsumer<TrainShard>
{
    public async Task Consume(ConsumeContext<TrainShard> context)
    {
        var task = context.Message;
        if (queue is not null)
        {
            if (!queue.TryEnqueue(task))
                await context.Publish(queue.Refusal(task, "worker shutting down"), context.CancellationToken);
            return;
        }
        ShardTrained trained;
        try
        {
            trained = await worker.TrainAsync(task, context.CancellationToken);
        }
        catch (Exception e) when (e is BlobStoreException or ParameterFormatException or ModelConfigException or ArgumentException or FormatException
                                       or TrainingDivergedException)
        {
            var failed = new ShardFailed
            {
                RunId = task.RunId, Round = task.Round, ShardId = task.ShardId, LeaseId = task.LeaseId,
                WorkerId = worker.WorkerId, Error = $"{e.GetType().Name}: {e.Message}",
            };
            await context.Publish(worker.Signer?.Sign(failed, DateTimeOffset.UtcNow) ?? failed, context.CancellationToken);
            return;
        }
        await context.Publish(trained, context.CancellationToken);
    }
}
