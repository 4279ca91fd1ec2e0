using Federated.EventStore.Projections;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Projections;

public sealed class InMemoryProjectionTests : IDisposable
{
    private readonly SqliteFixture _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_second_catch_up_reads_only_what_was_appended_since_the_first()
    {
        await _db.AppendAsync(3);
        var runner = ProjectionRunner.InMemory(new StreamsSeen(), _db.Store);
        await runner.RunToEndAsync();
        await _db.AppendAsync(2);

        Assert.Equal(2, await runner.RunToEndAsync());
    }

    [Fact]
    public async Task A_new_in_memory_runner_rebuilds_from_the_start()
    {
        await _db.AppendAsync(3);
        await ProjectionRunner.InMemory(new StreamsSeen(), _db.Store).RunToEndAsync();
        var rebuilt = new StreamsSeen();

        await ProjectionRunner.InMemory(rebuilt, _db.Store).RunToEndAsync();

        Assert.Equal(3, rebuilt.Events);
    }

    [Fact]
    public async Task An_event_delivered_again_is_applied_once()
    {
        await _db.AppendAsync(2);
        var projection = new StreamsSeen();
        var all = await _db.Store.ReadAllAsync(0, 10).ToListAsync();

        foreach (var e in all.Concat(all)) await projection.ApplyAsync(e, CancellationToken.None);

        Assert.Equal((2, 2L), (projection.Events, projection.Position));
    }

    [Fact]
    public async Task In_memory_checkpoints_start_empty_and_keep_what_was_stored()
    {
        var checkpoints = new InMemoryCheckpointStore();
        var before = await checkpoints.LoadAsync("p");

        await checkpoints.StoreAsync("p", 7);

        Assert.Equal((null, 7L), (before, await checkpoints.LoadAsync("p")));
    }

    private sealed class StreamsSeen : InMemoryProjection
    {
        public override string Name => "streams-seen";

        public int Events { get; private set; }

        protected override void Apply(RecordedEvent recorded) => Events++;
    }
}
