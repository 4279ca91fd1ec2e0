using Federated.EventStore.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Tests.Verification;

public sealed class EventLogVerifierTests : IDisposable
{
    private readonly SqliteFixture _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Progress_is_reported_after_each_page()
    {
        await _db.AppendAsync(5);
        var progress = new RecordingProgress();

        await new EventLogVerifier(_db.Store, pageSize: 2).VerifyAsync(progress);

        Assert.Equal([2L, 4L, 5L], progress.Reports);
    }

    [Fact]
    public async Task An_intact_log_reports_the_last_events_hash()
    {
        await _db.AppendAsync(3);
        var last = (await _db.Store.ReadAllAsync(2, 1).ToListAsync()).Single();

        var result = await new EventLogVerifier(_db.Store, pageSize: 2).VerifyAsync();

        Assert.Equal(last.Hash, result.LastHash);
    }

    [Fact]
    public async Task Cancelling_verification_throws_rather_than_reporting_a_failure()
    {
        await _db.AppendAsync(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EventLogVerifier(_db.Store).VerifyAsync(null, new CancellationToken(canceled: true)));
    }

    // Progress<T> reports on the thread pool, after the fact; tests need the reports in order, now.
    private sealed class RecordingProgress : IProgress<long>
    {
        public List<long> Reports { get; } = [];

        public void Report(long value) => Reports.Add(value);
    }
}
