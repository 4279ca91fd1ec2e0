namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task A_checkpoint_never_stored_loads_as_null()
    {
        Assert.Null(await Checkpoints.LoadAsync("projection-a"));
    }

    [Fact]
    public async Task A_stored_checkpoint_loads_back()
    {
        await Checkpoints.StoreAsync("projection-a", 42);

        Assert.Equal(42, await Checkpoints.LoadAsync("projection-a"));
    }

    [Fact]
    public async Task Storing_a_checkpoint_again_overwrites_it()
    {
        await Checkpoints.StoreAsync("projection-a", 42);

        await Checkpoints.StoreAsync("projection-a", 43);

        Assert.Equal(43, await Checkpoints.LoadAsync("projection-a"));
    }

    [Fact]
    public async Task Checkpoints_are_kept_per_subscription()
    {
        await Checkpoints.StoreAsync("projection-a", 42);

        await Checkpoints.StoreAsync("projection-b", 7);

        Assert.Equal(42, await Checkpoints.LoadAsync("projection-a"));
    }
}
