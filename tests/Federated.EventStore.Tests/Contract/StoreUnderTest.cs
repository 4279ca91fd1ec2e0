namespace Federated.EventStore.Tests.Contract;

/// <summary>A fresh, empty store of some backend, its checkpoint store, and how to throw both away.</summary>
public sealed class StoreUnderTest(IEventStore store, ICheckpointStore checkpoints, Func<ValueTask> cleanup) : IAsyncDisposable
{
    public IEventStore Store { get; } = store;

    public ICheckpointStore Checkpoints { get; } = checkpoints;

    public ValueTask DisposeAsync() => cleanup();
}
