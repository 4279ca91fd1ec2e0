using Federated.EventStore.Sessions;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Contract;

/// <summary>The stream session (decide, append at the expected version, fold, retry, cancel), on every backend.</summary>
public abstract partial class EventStoreContract
{
    private const string TallyStream = "tally-1";

    private Task<StreamSession<Tally, AddToTally>> TallyAsync(IEventStore? store = null) =>
        StreamSession<Tally, AddToTally>.LoadAsync(store ?? Store, Tally.Rules, TallyStream, Clock);

    [Fact]
    public async Task A_session_folds_the_events_it_appends()
    {
        var session = await TallyAsync();

        await session.ExecuteAsync(new AddToTally(2));
        await session.ExecuteAsync(new AddToTally(3));

        Assert.Equal((new Tally(5, 2), 1L), (session.State, session.Version));
    }

    [Fact]
    public async Task A_session_loaded_later_folds_the_same_state_from_the_store()
    {
        var first = await TallyAsync();
        await first.ExecuteAsync(new AddToTally(2));
        await first.ExecuteAsync(new AddToTally(3));

        var second = await TallyAsync();

        Assert.Equal((first.State, first.Version), (second.State, second.Version));
    }

    [Fact]
    public async Task A_decision_without_events_writes_nothing()
    {
        var session = await TallyAsync();

        await session.ExecuteAsync(new AddToTally(0));

        Assert.Equal(-1, await Store.GetStreamVersionAsync(TallyStream));
    }

    [Fact]
    public async Task A_session_that_lost_a_race_decides_again_on_the_new_state()
    {
        var late = await TallyAsync();
        var early = await TallyAsync();
        await early.ExecuteAsync(new AddToTally(1));

        await late.ExecuteAsync(new AddToTally(2));

        Assert.Equal((new Tally(3, 2), 1L), (late.State, late.Version));
    }

    [Fact]
    public async Task A_session_gives_up_after_its_conflict_retries_and_throws_the_conflict()
    {
        // Another writer slips an event in before every append, so every append conflicts.
        var rival = 100;
        var store = new InterceptedStore(Store, (stream, _) =>
            Store.AppendAsync(stream, ExpectedVersion.Any, Tally.Rules.Codec.EncodeAfter([new TallyAdded(rival++)], stream, -1)));
        var session = await TallyAsync(store);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => session.ExecuteAsync(new AddToTally(1)));

        Assert.Equal(StreamSession<Tally, AddToTally>.ConflictRetries + 1, store.Appends.Count);
    }

    [Fact]
    public async Task Commands_on_one_session_run_one_at_a_time_so_they_never_conflict_with_each_other()
    {
        var store = new InterceptedStore(Store, async (_, _) => await Task.Yield());
        var session = await TallyAsync(store);

        await Task.WhenAll(Enumerable.Range(1, 16).Select(n => Task.Run(() => session.ExecuteAsync(new AddToTally(n)))));

        Assert.Equal((16, 0), (store.Appends.Count, store.Appends.Count(e => e is not null)));
    }

    [Fact]
    public async Task A_command_cancelled_while_another_is_appending_writes_nothing()
    {
        var release = new TaskCompletionSource();
        var store = new InterceptedStore(Store, (_, _) => release.Task);
        var session = await TallyAsync(store);
        var first = session.ExecuteAsync(new AddToTally(1));
        using var cancel = new CancellationTokenSource();
        var second = session.ExecuteAsync(new AddToTally(2), cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        release.SetResult();
        await first;

        Assert.Equal((new Tally(1, 1), 0L), (session.State, await Store.GetStreamVersionAsync(TallyStream)));
    }

    [Fact]
    public async Task A_decided_append_runs_to_its_end_when_the_caller_is_cancelled()
    {
        var appending = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var store = new InterceptedStore(Store, (_, _) =>
        {
            appending.TrySetResult();
            return release.Task;
        });
        var session = await TallyAsync(store);
        using var cancel = new CancellationTokenSource();
        var command = session.ExecuteAsync(new AddToTally(4), cancel.Token);

        await appending.Task;
        await cancel.CancelAsync();
        release.SetResult();
        var events = await command;

        Assert.Equal((1, new Tally(4, 1), 0L), (events.Count, session.State, await Store.GetStreamVersionAsync(TallyStream)));
    }

    [Fact]
    public async Task A_session_appends_with_a_token_that_cannot_cancel()
    {
        var store = new InterceptedStore(Store, (_, _) => Task.CompletedTask);
        var session = await TallyAsync(store);
        using var cancel = new CancellationTokenSource();

        await session.ExecuteAsync(new AddToTally(1), cancel.Token);

        Assert.False(Assert.Single(store.Tokens).CanBeCanceled);
    }

    [Fact]
    public async Task A_retried_decision_appends_the_same_event_ids_so_the_store_answers_it_as_a_retry()
    {
        var events = Tally.Rules.Codec.EncodeAfter([new TallyAdded(7)], TallyStream, -1);
        var original = await Store.AppendAsync(TallyStream, ExpectedVersion.NoStream, events);

        var retried = await Store.AppendAsync(TallyStream, ExpectedVersion.NoStream, Tally.Rules.Codec.EncodeAfter([new TallyAdded(7)], TallyStream, -1));

        Assert.Equal(original, retried);
    }
}
