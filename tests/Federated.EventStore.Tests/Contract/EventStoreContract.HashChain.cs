using Federated.EventStore.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task The_first_event_chains_from_the_genesis_hash()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New());

        var first = Assert.Single(await ReadAllAsync());

        Assert.Equal(HashChain.Genesis, first.PreviousHash);
    }

    [Fact]
    public async Task Each_events_previous_hash_is_the_hash_of_the_event_before_it()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));
        await AppendAsync("run-2", ExpectedVersion.NoStream, TestEvents.Numbered(2));

        var events = await ReadAllAsync();

        Assert.All(events.Zip(events.Skip(1)), pair => Assert.Equal(pair.First.Hash, pair.Second.PreviousHash));
    }

    [Fact]
    public async Task Each_stored_hash_equals_the_hash_recomputed_from_the_event()
    {
        await AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.New(metadataJson: """{"by":"test"}"""));
        await AppendAsync("run-1", ExpectedVersion.Exact(0), TestEvents.Numbered(2));

        var events = await ReadAllAsync();

        Assert.All(events, e => Assert.Equal(HashChain.Compute(e), e.Hash));
    }

    [Fact]
    public async Task The_verifier_passes_an_untouched_log()
    {
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync($"run-{i % 2}", ExpectedVersion.Any, TestEvents.Numbered(3));
        }

        var result = await new EventLogVerifier(Store, pageSize: 4).VerifyAsync();

        Assert.Equal((true, 15L), (result.IsValid, result.EventsVerified));
    }

    [Fact]
    public async Task The_verifier_passes_an_empty_store()
    {
        var result = await new EventLogVerifier(Store).VerifyAsync();

        Assert.True(result.IsValid);
    }
}
