namespace Federated.EventStore.Tests.Contract;

/// <summary>Bad arguments fail the same way on every backend, when the call is made, before the database is touched.</summary>
public abstract partial class EventStoreContract
{
    [Fact]
    public void Reading_in_an_unknown_direction_throws_when_called_not_when_enumerated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.ReadStreamAsync("run-1", (ReadDirection)7, 0, 10));
    }

    [Fact]
    public void Reading_a_stream_from_a_negative_version_throws_when_called()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.ReadStreamAsync("run-1", ReadDirection.Forward, -1, 10));
    }

    [Fact]
    public void Reading_the_log_after_a_negative_position_throws_when_called()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.ReadAllAsync(-1, 10));
    }

    [Fact]
    public async Task Asking_the_version_of_an_invalid_stream_id_throws_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetStreamVersionAsync(" "));
    }
}
