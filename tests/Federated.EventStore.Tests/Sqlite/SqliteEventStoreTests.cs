using Federated.EventStore.Tests.Contract;

namespace Federated.EventStore.Tests.Sqlite;

public sealed class SqliteEventStoreTests : EventStoreContract
{
    protected override Task<StoreUnderTest> CreateStoreAsync(TimeProvider clock) => SqliteStores.CreateAsync(clock);
}
