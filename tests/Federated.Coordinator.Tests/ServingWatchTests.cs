using Federated.Worker;

namespace Federated.Coordinator.Tests;

/// <summary>The worker's side: announce only while serving, restart the bus with growing waits while the broker is up
/// and nothing consumes, wait (no restart) while the broker is away, give up after the policy's time.</summary>
public sealed class ServingWatchTests
{
    private static readonly ServingPolicy Policy = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60));
    private static readonly ServingStatus Serving = new(ServingState.Serving, "1 consumer");
    private static readonly ServingStatus NotConsuming = new(ServingState.NotConsuming, "0 consumers");
    private static readonly ServingStatus BrokerAway = new(ServingState.BrokerAway, "connection refused");
    private readonly Clock _clock = new();
    private readonly ServingWatch _watch;

    public ServingWatchTests() => _watch = new ServingWatch(Policy, _clock);

    /// <summary>Observes <paramref name="status"/> once a second for <paramref name="seconds"/> seconds.</summary>
    private List<ServingAction> Observe(ServingStatus status, int seconds)
    {
        var actions = new List<ServingAction>();
        for (var i = 0; i < seconds; i++)
        {
            actions.Add(_watch.Observe(status));
            _clock.Now += TimeSpan.FromSeconds(1);
        }
        return actions;
    }

    [Fact]
    public void A_serving_worker_announces_itself()
    {
        Assert.Equal(ServingAction.Announce, _watch.Observe(Serving));
    }

    [Fact]
    public void A_worker_whose_queue_has_no_consumer_does_not_announce_itself()
    {
        Assert.DoesNotContain(ServingAction.Announce, Observe(NotConsuming, 30));
    }

    [Fact]
    public void Without_a_consumer_the_bus_is_restarted_after_the_grace_then_with_doubling_waits()
    {
        var actions = Observe(NotConsuming, 30);

        var restarts = actions.Select((a, second) => (a, second)).Where(x => x.a == ServingAction.Restart).Select(x => x.second).ToList();
        Assert.Equal([5, 7, 11, 19, 27], restarts);
    }

    [Fact]
    public void While_the_broker_is_away_the_bus_is_not_restarted()
    {
        Assert.DoesNotContain(ServingAction.Restart, Observe(BrokerAway, 30));
    }

    [Fact]
    public void Not_serving_past_the_limit_gives_up()
    {
        var actions = Observe(BrokerAway, 61);

        Assert.Equal(ServingAction.GiveUp, actions[^1]);
        Assert.DoesNotContain(ServingAction.GiveUp, actions[..^1]);
    }

    [Fact]
    public void Serving_again_resets_the_clock_towards_giving_up()
    {
        Observe(BrokerAway, 50);
        Observe(Serving, 1);

        Assert.DoesNotContain(ServingAction.GiveUp, Observe(NotConsuming, 50));
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
