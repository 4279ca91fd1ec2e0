using System.Runtime.CompilerServices;
using Federated.EventStore.Projections;
using Federated.EventStore.Subscriptions;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Subscriptions;

/// <summary>
/// A live subscription rides out store outages: a store (or a handler writing to it) that throws
/// <see cref="EventStoreException"/> a number of times is retried with backoff, reported once, and every event is still
/// handled, the checkpoint ending at the head; a failure that is not an outage still stops it, with the cause inside.
/// </summary>
public sealed class SubscriptionRetryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly SqliteFixture _db = new();
    private readonly List<SubscriptionOutage> _outages = [];
    private readonly List<SubscriptionOutage> _resumed = [];

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_live_subscription_whose_store_throws_five_times_retries_and_delivers_every_event()
    {
        await _db.AppendAsync(6);
        var reader = new FlakyReader(_db.Store, failures: 5);
        var delivered = new List<long>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var subscription = new CatchUpSubscription("sub", reader, _db.Checkpoints, (e, _) =>
        {
            delivered.Add(e.GlobalPosition);
            if (e.GlobalPosition == 6) all.TrySetResult();
            return ValueTask.CompletedTask;
        }, Options());

        var running = subscription.RunAsync(stop.Token);
        await all.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], delivered);
        Assert.Equal(5, reader.Failed);
        Assert.Equal(6, await _db.Checkpoints.LoadAsync("sub"));
    }

    [Fact]
    public async Task An_outage_is_reported_once_naming_the_store_and_once_when_it_ends()
    {
        await _db.AppendAsync(3);
        var reader = new FlakyReader(_db.Store, failures: 5);
        using var stop = new CancellationTokenSource();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new CatchUpSubscription("sub", reader, _db.Checkpoints, (e, _) =>
        {
            if (e.GlobalPosition == 3) third.TrySetResult();
            return ValueTask.CompletedTask;
        }, Options()).RunAsync(stop.Token);

        await third.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var outage = Assert.Single(_outages);
        Assert.Equal("the event store at flaky.db", outage.WaitingFor);
        Assert.Equal(5, Assert.Single(_resumed).Attempts);
    }

    [Fact]
    public async Task A_handler_whose_writes_fail_during_an_outage_handles_each_event_until_it_succeeds_and_the_checkpoint_reaches_the_head()
    {
        await _db.AppendAsync(4);
        var failuresLeft = 3;
        var handled = new List<long>();
        var fourth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var running = new CatchUpSubscription("sub", _db.Store, _db.Checkpoints, (e, _) =>
        {
            if (e.GlobalPosition == 3 && failuresLeft-- > 0) throw new EventStoreException("pg:5432/fed", "connection refused");
            handled.Add(e.GlobalPosition);
            if (e.GlobalPosition == 4) fourth.TrySetResult();
            return ValueTask.CompletedTask;
        }, Options(pageSize: 2)).RunAsync(stop.Token);

        await fourth.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        // Pages of two: 1 and 2 were checkpointed before the outage, so only the failing page is handled again.
        Assert.Equal([1L, 2L, 3L, 4L], handled);
        Assert.Equal(4, await _db.Checkpoints.LoadAsync("sub"));
        Assert.Equal("the event store at pg:5432/fed", Assert.Single(_outages).WaitingFor);
    }

    [Fact]
    public async Task A_failure_that_is_not_an_outage_stops_a_live_subscription_with_the_cause_inside()
    {
        await _db.AppendAsync(3);
        var boom = new InvalidOperationException("a bug");
        using var stop = new CancellationTokenSource();
        var running = new CatchUpSubscription("sub", _db.Store, _db.Checkpoints, (e, _) =>
            e.GlobalPosition == 2 ? ValueTask.FromException(boom) : ValueTask.CompletedTask, Options()).RunAsync(stop.Token);

        var e = await Assert.ThrowsAsync<SubscriptionFailedException>(() => running.WaitAsync(Patience));

        Assert.Same(boom, e.InnerException);
        Assert.Empty(_outages);
    }

    [Fact]
    public async Task A_live_subscription_cancelled_during_an_outage_ends_as_cancelled()
    {
        await _db.AppendAsync(1);
        var reader = new FlakyReader(_db.Store, failures: int.MaxValue);
        using var stop = new CancellationTokenSource();
        var running = new CatchUpSubscription("sub", reader, _db.Checkpoints, (_, _) => ValueTask.CompletedTask, Options()).RunAsync(stop.Token);
        while (_outages.Count == 0) await Task.Delay(10);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_projection_runner_with_default_options_rides_out_a_store_outage()
    {
        await _db.AppendAsync(3);
        var projection = new Positions();
        using var stop = new CancellationTokenSource();
        // Default options: store outages are retried (first waits 250 ms, then 500 ms).
        var running = new ProjectionRunner(projection, new FlakyReader(_db.Store, failures: 2), _db.Checkpoints).RunAsync(stop.Token);

        await projection.Third.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal([1L, 2L, 3L], projection.Applied);
    }

    [Fact]
    public void The_backoff_doubles_and_is_capped()
    {
        var retry = new SubscriptionRetry { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) };

        Assert.Equal([1d, 2d, 4d, 5d, 5d], Enumerable.Range(1, 5).Select(a => retry.DelayAfter(a).TotalSeconds));
    }

    private CatchUpOptions Options(int pageSize = 256) => new()
    {
        PageSize = pageSize,
        PollInterval = TimeSpan.FromMilliseconds(20),
        Retry = new SubscriptionRetry
        {
            FirstDelay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(40),
            OnOutage = o => { lock (_outages) _outages.Add(o); },
            OnResumed = o => { lock (_resumed) _resumed.Add(o); },
        },
    };

    private sealed class Positions : IProjection
    {
        public string Name => "positions";

        public List<long> Applied { get; } = [];

        public TaskCompletionSource Third { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken)
        {
            Applied.Add(recorded.GlobalPosition);
            if (recorded.GlobalPosition == 3) Third.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The real store, except that its first <c>failures</c> reads of the log throw as a database that is away would.</summary>
    private sealed class FlakyReader(IEventStoreReader inner, int failures) : IEventStoreReader
    {
        public int Failed { get; private set; }

        public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (Failed < failures)
            {
                Failed++;
                throw new EventStoreException("flaky.db", "the database is not reachable");
            }

            await foreach (var e in inner.ReadAllAsync(fromPositionExclusive, maxCount, cancellationToken)) yield return e;
        }

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadStreamAsync(streamId, direction, fromVersion, maxCount, cancellationToken);

        public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);
    }
}
