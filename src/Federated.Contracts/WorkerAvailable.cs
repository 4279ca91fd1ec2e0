namespace Federated.Contracts;

/// <summary>A worker announces itself (on start and on reconnect); the coordinator joins it to running runs.</summary>
public sealed record WorkerAvailable
{
    public required string WorkerId { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary>Address the coordinator sends <see cref="TrainShard"/> to, e.g. "queue:fed-worker-w1".</summary>
    public required string Endpoint { get; init; }
}
