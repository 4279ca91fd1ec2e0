using Federated.EventStore.Sqlite;
using Federated.EventStore.Tests.Contract;
using Federated.EventStore.Tests.Support;

namespace Federated.EventStore.Tests.Sqlite;

internal static class SqliteStores
{
    /// <summary>Event store and checkpoint store on one fresh temporary file, deleted on dispose.</summary>
    public static Task<StoreUnderTest> CreateAsync(TimeProvider clock)
    {
        var file = new TempDatabase();
        var store = new SqliteEventStore(file.Path, clock);
        var checkpoints = new SqliteCheckpointStore(file.Path);
        return Task.FromResult(new StoreUnderTest(store, checkpoints, () =>
        {
            store.Dispose();
            checkpoints.Dispose();
            file.Dispose();
            return ValueTask.CompletedTask;
        }));
    }
}
