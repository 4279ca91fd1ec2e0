using Federated.EventStore.Sqlite;

namespace Federated.EventStore.Tests.Support;

/// <summary>A real store and checkpoint store on a fresh temporary file, for tests of code built on the port.</summary>
public sealed class SqliteFixture : IDisposable
{
    private readonly TempDatabase _file = new();

    public SqliteFixture()
    {
        Store = new SqliteEventStore(_file.Path);
        Checkpoints = new SqliteCheckpointStore(_file.Path);
    }

    public SqliteEventStore Store { get; }

    public SqliteCheckpointStore Checkpoints { get; }

    /// <summary>Appends <paramref name="count"/> single-event batches, alternating between streams run-1 and run-2.</summary>
    public async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Store.AppendAsync($"run-{1 + (i % 2)}", ExpectedVersion.Any, [TestEvents.New()]);
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        Checkpoints.Dispose();
        _file.Dispose();
    }
}
