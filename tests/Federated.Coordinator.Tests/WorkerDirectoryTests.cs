using Federated.Coordinator.Runs;

namespace Federated.Coordinator.Tests;

/// <summary>The address book's liveness: silent workers are forgotten, workers that let leases run out are benched for
/// a cool-down that grows, and announcing again does not shorten it. Time comes from a clock the tests move.</summary>
public sealed class WorkerDirectoryTests
{
    private static readonly WorkerLiveness Liveness = new(TimeSpan.FromSeconds(30), 2, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(200));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly WorkerDirectory _directory;

    public WorkerDirectoryTests() => _directory = new WorkerDirectory(_clock, Liveness);

    private void Announce(string id) => _directory.Add(new WorkerDirectory.Entry(id, $"queue:fed-worker-{id}", 1));

    private List<string> Leasable() => _directory.Leasable().Select(e => e.WorkerId).ToList();

    [Fact]
    public void A_worker_not_heard_from_past_the_timeout_is_not_leasable()
    {
        Announce("w1");
        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Empty(Leasable());
    }

    [Fact]
    public void A_worker_not_heard_from_past_the_timeout_is_reported_unavailable_with_the_reason()
    {
        Announce("w1");
        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Contains("not heard from since", _directory.Unavailability("w1"));
    }

    [Fact]
    public void A_worker_that_keeps_announcing_itself_stays_leasable()
    {
        for (var i = 0; i < 10; i++)
        {
            Announce("w1");
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(["w1"], Leasable());
    }

    [Fact]
    public void A_silent_worker_is_leasable_again_once_it_announces_itself()
    {
        Announce("w1");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Announce("w1");

        Assert.Equal(["w1"], Leasable());
    }

    [Fact]
    public void Workers_heard_from_recently_are_leased_before_those_heard_from_long_ago()
    {
        Announce("a-quiet");
        _clock.Advance(TimeSpan.FromSeconds(20));
        Announce("b-lively");

        Assert.Equal(["b-lively", "a-quiet"], Leasable());
    }

    [Fact]
    public void Workers_heard_from_equally_recently_are_leased_in_id_order()
    {
        Announce("w2");
        Announce("w1");

        Assert.Equal(["w1", "w2"], Leasable());
    }

    [Fact]
    public void One_expired_lease_takes_the_worker_out_until_it_announces_itself_again()
    {
        Announce("w1");
        Assert.Null(_directory.LeaseExpired("w1"));
        Assert.Empty(Leasable());

        Announce("w1");
        Assert.Equal(["w1"], Leasable());
    }

    [Fact]
    public void Expired_leases_in_a_row_bench_the_worker_and_announcing_again_does_not_end_the_bench()
    {
        Announce("w1");
        _directory.LeaseExpired("w1");
        Announce("w1");
        var until = _directory.LeaseExpired("w1");

        Announce("w1");
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(60), until);
        Assert.Empty(Leasable());
        Assert.Contains("benched until", _directory.Unavailability("w1"));
    }

    [Fact]
    public void A_bench_ends_when_its_cool_down_has_passed()
    {
        Announce("w1");
        _directory.LeaseExpired("w1");
        _directory.LeaseExpired("w1");
        _clock.Advance(TimeSpan.FromSeconds(61));
        Announce("w1");

        Assert.Equal(["w1"], Leasable());
    }

    [Fact]
    public void Each_further_bench_lasts_twice_as_long_up_to_the_longest()
    {
        Announce("w1");
        var benches = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            _directory.LeaseExpired("w1");
            var until = _directory.LeaseExpired("w1")!.Value;
            benches.Add(until - _clock.GetUtcNow());
            _clock.Advance(until - _clock.GetUtcNow());
        }

        Assert.Equal([TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(200)], benches);
    }

    [Fact]
    public void An_accepted_update_clears_the_strikes_so_expiries_must_again_come_in_a_row()
    {
        Announce("w1");
        _directory.LeaseExpired("w1");
        Announce("w1");
        _directory.Delivered("w1");

        Assert.Null(_directory.LeaseExpired("w1"));
    }

    [Fact]
    public void A_goodbye_does_not_wipe_the_strikes()
    {
        Announce("w1");
        _directory.LeaseExpired("w1");
        _directory.Remove("w1");
        Announce("w1");

        Assert.NotNull(_directory.LeaseExpired("w1"));
    }

    [Fact]
    public void A_replayed_signed_announcement_does_not_keep_a_silent_worker_in_the_book()
    {
        var entry = new WorkerDirectory.Entry("w1", "queue:fed-worker-w1", 1, "0xabc");
        _directory.Add(entry, issuedAt: 1000);
        _clock.Advance(TimeSpan.FromSeconds(25));
        _directory.Add(entry, issuedAt: 1000);
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(Leasable());
    }

    [Fact]
    public void A_newer_signed_announcement_counts_as_hearing_from_the_worker()
    {
        var entry = new WorkerDirectory.Entry("w1", "queue:fed-worker-w1", 1, "0xabc");
        _directory.Add(entry, issuedAt: 1000);
        _clock.Advance(TimeSpan.FromSeconds(25));
        _directory.Add(entry, issuedAt: 1025);
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["w1"], Leasable());
    }

    [Fact]
    public void A_signed_announcement_replayed_after_a_goodbye_does_not_bring_the_worker_back()
    {
        var entry = new WorkerDirectory.Entry("w1", "queue:fed-worker-w1", 1, "0xabc");
        _directory.Add(entry, issuedAt: 1000);
        _directory.Remove("w1");
        _directory.Add(entry, issuedAt: 1000);

        Assert.Empty(Leasable());
    }

    [Fact]
    public void A_worker_the_directory_never_heard_of_is_not_judged()
    {
        Assert.Null(_directory.Unavailability("w1"));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
