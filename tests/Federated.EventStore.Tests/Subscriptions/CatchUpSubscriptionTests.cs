using System.Collections.Concurrent;
using Federated.EventStore.Subscriptions;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Subscriptions;

public sealed class CatchUpSubscriptionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly SqliteFixture _db = new();
    private readonly List<long> _delivered = [];
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiters = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Catching_up_delivers_every_event_in_global_order()
    {
        await _db.AppendAsync(5);

        await Subscription(pageSize: 2).RunToEndAsync();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], _delivered);
    }

    [Fact]
    public async Task Catching_up_returns_how_many_events_it_handled()
    {
        await _db.AppendAsync(5);

        Assert.Equal(5, await Subscription(pageSize: 2).RunToEndAsync());
    }

    [Fact]
    public async Task Catching_up_stores_the_last_handled_position_as_the_checkpoint()
    {
        await _db.AppendAsync(5);

        await Subscription(pageSize: 2).RunToEndAsync();

        Assert.Equal(5, await _db.Checkpoints.LoadAsync("sub"));
    }

    [Fact]
    public async Task A_new_subscription_with_the_same_id_resumes_after_the_checkpoint()
    {
        await _db.AppendAsync(3);
        await Subscription().RunToEndAsync();
        await _db.AppendAsync(2);
        _delivered.Clear();

        await Subscription().RunToEndAsync();

        Assert.Equal([4L, 5L], _delivered);
    }

    [Fact]
    public async Task Events_appended_after_a_live_subscription_started_are_delivered_on_the_stores_signal()
    {
        await _db.AppendAsync(1);
        var caughtUp = WhenDelivered(1);
        var fifth = WhenDelivered(5);
        // An hour-long poll: only the store's wake-up can deliver within the test's patience.
        var options = new CatchUpOptions { PollInterval = TimeSpan.FromHours(1), WakeUp = _db.Store.Appended };
        using var stop = new CancellationTokenSource();
        var running = Subscription(options).RunAsync(stop.Token);
        await caughtUp.WaitAsync(Patience);

        await _db.AppendAsync(4);

        await fifth.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], _delivered);
    }

    [Fact]
    public async Task Events_appended_after_a_live_subscription_started_are_delivered_by_polling()
    {
        var first = WhenDelivered(1);
        using var stop = new CancellationTokenSource();
        var running = Subscription(new CatchUpOptions { PollInterval = TimeSpan.FromMilliseconds(20) }).RunAsync(stop.Token);

        await _db.AppendAsync(1);

        await first.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_failing_handler_stops_the_subscription_with_the_handlers_exception_inside()
    {
        await _db.AppendAsync(5);
        var boom = new InvalidOperationException("boom");

        var e = await Assert.ThrowsAsync<SubscriptionFailedException>(() => FailingAt(4, boom).RunToEndAsync());

        Assert.Same(boom, e.InnerException);
    }

    [Fact]
    public async Task A_failing_handler_does_not_advance_the_checkpoint_past_the_failed_event()
    {
        await _db.AppendAsync(5);

        await Assert.ThrowsAsync<SubscriptionFailedException>(() => FailingAt(4, new InvalidOperationException("boom")).RunToEndAsync());

        // Pages of 2: the page holding 3 and 4 never completed, so the checkpoint stays at the end of the page before.
        Assert.Equal(2, await _db.Checkpoints.LoadAsync("sub"));
    }

    [Fact]
    public async Task After_a_handler_failure_a_restart_delivers_the_failed_event_again()
    {
        await _db.AppendAsync(5);
        await Assert.ThrowsAsync<SubscriptionFailedException>(() => FailingAt(4, new InvalidOperationException("boom")).RunToEndAsync());
        _delivered.Clear();

        await Subscription(pageSize: 2).RunToEndAsync();

        Assert.Equal([3L, 4L, 5L], _delivered);
    }

    [Fact]
    public async Task A_live_subscription_ends_as_cancelled_when_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var running = Subscription(new CatchUpOptions { PollInterval = TimeSpan.FromHours(1) }).RunAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Patience));
    }

    private CatchUpSubscription Subscription(int pageSize) => Subscription(new CatchUpOptions { PageSize = pageSize });

    private CatchUpSubscription Subscription(CatchUpOptions? options = null) =>
        new("sub", _db.Store, _db.Checkpoints, (e, _) =>
        {
            lock (_delivered)
            {
                _delivered.Add(e.GlobalPosition);
            }

            if (_waiters.TryGetValue(e.GlobalPosition, out var waiter))
            {
                waiter.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }, options);

    private CatchUpSubscription FailingAt(long position, Exception exception) =>
        new("sub", _db.Store, _db.Checkpoints, (e, _) =>
            e.GlobalPosition == position ? ValueTask.FromException(exception) : ValueTask.CompletedTask,
            new CatchUpOptions { PageSize = 2 });

    /// <summary>Completes once the event at <paramref name="position"/> has been delivered; ask before it can be.</summary>
    private Task WhenDelivered(long position) =>
        _waiters.GetOrAdd(position, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
