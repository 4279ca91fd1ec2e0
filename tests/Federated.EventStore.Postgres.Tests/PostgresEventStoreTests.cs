using Federated.EventStore.Postgres.Tests.Support;
using Federated.EventStore.Tests.Contract;

namespace Federated.EventStore.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventStoreTests(PostgresServerFixture server) : EventStoreContract
{
    protected override Task<StoreUnderTest> CreateStoreAsync(TimeProvider clock) => server.CreateStoresAsync(clock);
}
