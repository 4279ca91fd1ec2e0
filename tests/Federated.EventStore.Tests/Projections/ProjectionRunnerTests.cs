using Federated.EventStore.Projections;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Projections;

public sealed class ProjectionRunnerTests : IDisposable
{
    private readonly SqliteFixture _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_projection_runner_builds_the_projections_state_from_the_log()
    {
        await _db.AppendAsync(3);
        var projection = new EventsPerStream();

        await new ProjectionRunner(projection, _db.Store, _db.Checkpoints).RunToEndAsync();

        Assert.Equal(new Dictionary<string, int> { ["run-1"] = 2, ["run-2"] = 1 }, projection.Counts);
    }

    [Fact]
    public async Task A_projection_runner_stores_its_checkpoint_under_the_projections_name()
    {
        await _db.AppendAsync(3);

        await new ProjectionRunner(new EventsPerStream(), _db.Store, _db.Checkpoints).RunToEndAsync();

        Assert.Equal(3, await _db.Checkpoints.LoadAsync(EventsPerStream.ProjectionName));
    }

    [Fact]
    public async Task A_new_runner_for_the_same_projection_resumes_where_the_last_one_stopped()
    {
        await _db.AppendAsync(3);
        var projection = new EventsPerStream();
        await new ProjectionRunner(projection, _db.Store, _db.Checkpoints).RunToEndAsync();
        await _db.AppendAsync(2);

        await new ProjectionRunner(projection, _db.Store, _db.Checkpoints).RunToEndAsync();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], projection.Applied);
    }

    /// <summary>Counts events per stream; kept in memory, standing in for a durable read model.</summary>
    private sealed class EventsPerStream : IProjection
    {
        public const string ProjectionName = "events-per-stream";

        public string Name => ProjectionName;

        public Dictionary<string, int> Counts { get; } = [];

        public List<long> Applied { get; } = [];

        public ValueTask ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken)
        {
            Counts[recorded.StreamId] = Counts.GetValueOrDefault(recorded.StreamId) + 1;
            Applied.Add(recorded.GlobalPosition);
            return ValueTask.CompletedTask;
        }
    }
}
